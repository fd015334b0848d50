package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a JWT from the identity provider with the JDK's own crypto: the header's algorithm is one
 * the configuration allows (so never {@code none} and never HS*, which would let a public key act as
 * an HMAC secret); the key is the provider's key of that id and of that algorithm's family; the
 * signature verifies; the issuer is the configured one; the token is for this hub ({@code aud} or
 * {@code azp}); it has not expired and is already valid ({@code exp} required, {@code nbf} and
 * {@code iat} honoured, with a small clock skew); and it is of the expected kind ({@code typ}).
 */
public final class JwtVerifier {
    private static final int MAX_TOKEN = 16 * 1024;

    private final OidcProvider provider;
    private final Clock clock;

    public JwtVerifier(OidcProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    /** Why a token was refused; the message is for logs, clients get a generic one. */
    public static final class InvalidToken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidToken(String message) {
            super(message, null, false, false);
        }
    }

    /** What a token must be: an access token for the API, or an ID token (with its nonce) at sign-in. */
    public record Expect(Set<String> audiences, Optional<String> typ, Optional<String> nonce) {
        public static Expect accessToken(OidcConfig c) {
            return new Expect(c.audiences(), Optional.of("Bearer"), Optional.empty());
        }

        public static Expect idToken(OidcConfig c, String nonce) {
            return new Expect(Set.of(c.clientId()), Optional.of("ID"), Optional.of(nonce));
        }
    }

    /** Whether {@code value} is shaped like a JWT at all (three base64url parts). */
    public static boolean looksLikeJwt(String value) {
        return value.length() <= MAX_TOKEN && value.chars().filter(c -> c == '.').count() == 2 && value.startsWith("eyJ");
    }

    /** The token's claims if it passes every check; {@link InvalidToken} otherwise. */
    public JsonNode verify(String jwt, Expect expect) {
        if (jwt.length() > MAX_TOKEN) {
            throw new InvalidToken("token too long");
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidToken("not a JWS compact serialization");
        }
        JsonNode header = json(parts[0]);
        String alg = header.path("alg").asText("");
        if (!provider.config().algorithms().contains(alg)) {
            throw new InvalidToken("algorithm '" + alg + "' is not allowed");
        }
        if (header.has("crit") || header.has("jku") || header.has("x5u") || header.has("jwk")) {
            throw new InvalidToken("header parameters the hub does not honour");
        }
        String kid = header.path("kid").asText("");
        OidcProvider.Jwk key = provider.key(kid).orElseThrow(() -> new InvalidToken("unknown key id '" + kid + "'"));
        if (!key.kty().equals(family(alg)) || key.alg().map(a -> !a.equals(alg)).orElse(false)) {
            throw new InvalidToken("key " + kid + " is not for " + alg);
        }
        if (!signatureValid(alg, key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), bytes(parts[2]))) {
            throw new InvalidToken("bad signature");
        }
        JsonNode claims = json(parts[1]);
        checkClaims(claims, expect);
        return claims;
    }

    private void checkClaims(JsonNode claims, Expect expect) {
        if (!claims.path("iss").asText("").equals(provider.config().issuer())) {
            throw new InvalidToken("issuer '" + claims.path("iss").asText("") + "' is not trusted");
        }
        long now = clock.instant().getEpochSecond();
        long skew = provider.config().clockSkew().toSeconds();
        if (!claims.path("exp").canConvertToLong()) {
            throw new InvalidToken("no expiry");
        }
        if (now > claims.get("exp").asLong() + skew) {
            throw new InvalidToken("expired at " + Instant.ofEpochSecond(claims.get("exp").asLong()));
        }
        if (claims.has("nbf") && (!claims.get("nbf").canConvertToLong() || now + skew < claims.get("nbf").asLong())) {
            throw new InvalidToken("not valid before " + claims.get("nbf"));
        }
        if (claims.has("iat") && (!claims.get("iat").canConvertToLong() || now + skew < claims.get("iat").asLong())) {
            throw new InvalidToken("issued in the future");
        }
        if (!forUs(claims, expect.audiences())) {
            throw new InvalidToken("audience " + claims.path("aud") + " / azp '" + claims.path("azp").asText("")
                    + "' is not this hub");
        }
        if (expect.typ().isPresent() && claims.has("typ") && !claims.get("typ").asText().equals(expect.typ().get())) {
            throw new InvalidToken("token type '" + claims.get("typ").asText() + "', not " + expect.typ().get());
        }
        if (expect.nonce().isPresent() && !expect.nonce().get().equals(claims.path("nonce").asText(""))) {
            throw new InvalidToken("nonce does not match");
        }
    }

    private static boolean forUs(JsonNode claims, Set<String> audiences) {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual() && audiences.contains(aud.asText())) {
            return true;
        }
        for (JsonNode a : aud) {
            if (a.isTextual() && audiences.contains(a.asText())) {
                return true;
            }
        }
        return claims.path("azp").isTextual() && audiences.contains(claims.get("azp").asText());
    }

    private static String family(String alg) {
        return alg.startsWith("ES") ? "EC" : "RSA";
    }

    private static boolean signatureValid(String alg, OidcProvider.Jwk key, byte[] signed, byte[] signature) {
        String bits = alg.substring(2);
        try {
            Signature sig;
            if (alg.startsWith("RS")) {
                sig = Signature.getInstance("SHA" + bits + "withRSA");
            } else if (alg.startsWith("PS")) {
                sig = Signature.getInstance("RSASSA-PSS");
                String sha = "SHA-" + bits;
                sig.setParameter(new PSSParameterSpec(sha, "MGF1", new MGF1ParameterSpec(sha), Integer.parseInt(bits) / 8, 1));
            } else {
                sig = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            }
            sig.initVerify(key.key());
            sig.update(signed);
            return sig.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode json(String part) {
        try {
            JsonNode node = Json.mapper().readTree(bytes(part));
            if (node == null || !node.isObject()) {
                throw new InvalidToken("a token part is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidToken("a token part is not JSON");
        }
    }

    private static byte[] bytes(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("a token part is not base64url");
        }
    }
}

package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The identity provider as the hub sees it: its discovery document (endpoints) and its signing keys
 * (JWKS), both fetched from the configured issuer on first need. Keys are fetched again when a token
 * names a key id not yet known (a key rotation), at most once per {@link #REFETCH_EVERY}, so tokens
 * with made-up key ids cannot make the hub hammer the provider.
 */
public final class OidcProvider {
    private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());
    static final Duration REFETCH_EVERY = Duration.ofSeconds(10);
    private static final int MAX_DOCUMENT = 1 << 20;

    private final OidcConfig config;
    private final HttpClient http;
    private final Clock clock;
    private volatile Optional<Endpoints> endpoints = Optional.empty();
    private volatile Map<String, Jwk> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;

    /** The provider's endpoints from its discovery document. */
    public record Endpoints(String authorization, String token, String jwks, Optional<String> endSession) {
    }

    /** One signing key: its type ({@code RSA} or {@code EC}), the algorithm it is pinned to if any, the key. */
    public record Jwk(String kty, Optional<String> alg, PublicKey key) {
    }

    public OidcProvider(OidcConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public OidcConfig config() {
        return config;
    }

    public HttpClient http() {
        return http;
    }

    public Endpoints endpoints() {
        Optional<Endpoints> known = endpoints;
        if (known.isPresent()) {
            return known.get();
        }
        JsonNode doc = getJson(config.issuer() + "/.well-known/openid-configuration");
        if (!config.issuer().equals(doc.path("issuer").asText())) {
            throw unreachable("the discovery document names issuer '" + doc.path("issuer").asText()
                    + "', not the configured " + config.issuer(), null);
        }
        Endpoints e = new Endpoints(doc.path("authorization_endpoint").asText(), doc.path("token_endpoint").asText(),
                doc.path("jwks_uri").asText(), Optional.of(doc.path("end_session_endpoint").asText())
                        .filter(s -> !s.isEmpty()));
        endpoints = Optional.of(e);
        return e;
    }

    /** The key with this id, fetching the key set again if it is unknown and the last fetch is not recent. */
    public Optional<Jwk> key(String kid) {
        Jwk known = keys.get(kid);
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (this) {
            if (!keys.containsKey(kid) && fetchedAt.plus(REFETCH_EVERY).isBefore(clock.instant())) {
                fetchedAt = clock.instant();
                try {
                    keys = parseKeys(getJson(endpoints().jwks()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot fetch the identity provider's keys", e);
                }
            }
            return Optional.ofNullable(keys.get(kid));
        }
    }

    /** The usable signing keys of a JWKS document by key id; keys it cannot use are left out. */
    static Map<String, Jwk> parseKeys(JsonNode jwks) {
        Map<String, Jwk> out = new HashMap<>();
        for (JsonNode k : jwks.path("keys")) {
            String kid = k.path("kid").asText("");
            String use = k.path("use").asText("sig");
            if (kid.isEmpty() || !use.equals("sig")) {
                continue;
            }
            try {
                Optional<PublicKey> key = switch (k.path("kty").asText()) {
                    case "RSA" -> Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            big(k, "n"), big(k, "e"))));
                    case "EC" -> Optional.of(ecKey(k));
                    default -> Optional.empty();
                };
                key.ifPresent(pk -> out.put(kid, new Jwk(k.path("kty").asText(),
                        Optional.of(k.path("alg").asText()).filter(s -> !s.isEmpty()), pk)));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.warning("skipping unusable key " + kid + ": " + e.getMessage());
            }
        }
        return Map.copyOf(out);
    }

    private static PublicKey ecKey(JsonNode k) throws GeneralSecurityException {
        String curve = switch (k.path("crv").asText()) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new IllegalArgumentException("unsupported curve " + k.path("crv").asText());
        };
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(big(k, "x"), big(k, "y")),
                spec));
    }

    private static BigInteger big(JsonNode k, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(k.path(field).asText()));
    }

    JsonNode getJson(String url) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length > MAX_DOCUMENT) {
                throw unreachable("GET " + url + " answered " + r.statusCode(), null);
            }
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw unreachable("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted", e);
        }
    }

    private static QuiverException unreachable(String why, Throwable cause) {
        LOG.warning("identity provider: " + why);
        return new QuiverException(Reason.UNAVAILABLE, "The identity provider cannot be reached", cause);
    }
}

package dev.quiver.server.auth;

import dev.quiver.schema.json.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs and JWKS documents for tests, signed with the JDK's own crypto. */
final class TestJwts {
    private TestJwts() {
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String json(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK for a public key. */
    static Map<String, Object> jwk(String kid, KeyPair pair) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("kid", kid);
        k.put("use", "sig");
        if (pair.getPublic() instanceof RSAPublicKey rsa) {
            k.put("kty", "RSA");
            k.put("alg", "RS256");
            k.put("n", b64(unsigned(rsa.getModulus())));
            k.put("e", b64(unsigned(rsa.getPublicExponent())));
        } else {
            ECPublicKey ec = (ECPublicKey) pair.getPublic();
            k.put("kty", "EC");
            k.put("crv", "P-256");
            k.put("x", b64(fixed(ec.getW().getAffineX(), 32)));
            k.put("y", b64(fixed(ec.getW().getAffineY(), 32)));
        }
        return k;
    }

    /** Signs {@code header.claims} with {@code alg} (RS256, ES256) or returns it unsigned for {@code none}. */
    static String sign(Map<String, Object> header, Map<String, Object> claims, KeyPair pair) {
        String alg = String.valueOf(header.get("alg"));
        String input = b64(json(header)) + "." + b64(json(claims));
        try {
            byte[] sig = switch (alg) {
                case "none" -> new byte[0];
                case "RS256" -> signWith("SHA256withRSA", pair, input);
                case "ES256" -> signWith("SHA256withECDSAinP1363Format", pair, input);
                case "HS256" -> {
                    // the classic confusion attack: the public key's encoding used as an HMAC secret
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(pair.getPublic().getEncoded(), "HmacSHA256"));
                    yield mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
                }
                default -> throw new IllegalArgumentException(alg);
            };
            return input + "." + b64(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] signWith(String algorithm, KeyPair pair, String input) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return s.sign();
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(BigInteger n, int len) {
        byte[] b = unsigned(n);
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, len - b.length, b.length);
        return out;
    }
}

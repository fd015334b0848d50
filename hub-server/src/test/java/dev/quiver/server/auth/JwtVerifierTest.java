package dev.quiver.server.auth;

import static dev.quiver.server.auth.TestJwts.b64;
import static dev.quiver.server.auth.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-made tokens against a provider served from this JVM (discovery document and JWKS): every
 * check of {@link JwtVerifier}, including the ones a real Keycloak cannot be made to fail.
 */
class JwtVerifierTest {
    static final KeyPair KEY = TestJwts.rsa();
    static final KeyPair OTHER = TestJwts.rsa();
    static final KeyPair EC = TestJwts.ec();

    final FailureThrottleTest.ManualClock clock = new FailureThrottleTest.ManualClock();
    final AtomicReference<List<Map<String, Object>>> keys = new AtomicReference<>(List.of(TestJwts.jwk("k1", KEY),
            TestJwts.jwk("e1", EC)));
    final AtomicInteger jwksFetches = new AtomicInteger();
    HttpServer server;
    String issuer;
    JwtVerifier verifier;
    OidcConfig config;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
        server.createContext("/realms/test/.well-known/openid-configuration", ex -> {
            byte[] b = TestJwts.json(Map.of("issuer", issuer, "jwks_uri", issuer + "/certs", "authorization_endpoint",
                    issuer + "/auth", "token_endpoint", issuer + "/token")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/realms/test/certs", ex -> {
            jwksFetches.incrementAndGet();
            byte[] b = TestJwts.json(Map.of("keys", keys.get())).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        config = OidcConfig.of(issuer, "quiver").withAlgorithms(Set.of("RS256", "ES256"))
                .withClockSkew(Duration.ofSeconds(30));
        verifier = new JwtVerifier(new OidcProvider(config, clock), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        h.put("typ", "JWT");
        h.put("kid", kid);
        return h;
    }

    Map<String, Object> claims() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("sub", "subject-1");
        c.put("azp", "quiver");
        c.put("typ", "Bearer");
        c.put("iat", now());
        c.put("exp", now() + 300);
        c.put("preferred_username", "alice");
        return c;
    }

    JwtVerifier.Expect access() {
        return JwtVerifier.Expect.accessToken(config);
    }

    void refused(String token, String why) {
        assertThatThrownBy(() -> verifier.verify(token, access())).isInstanceOf(JwtVerifier.InvalidToken.class)
                .hasMessageContaining(why);
    }

    @Test
    void aProperlySignedTokenForThisHubIsAccepted() {
        assertThat(verifier.verify(sign(header("RS256", "k1"), claims(), KEY), access()).path("preferred_username")
                .asText()).isEqualTo("alice");
        assertThat(verifier.verify(sign(header("ES256", "e1"), claims(), EC), access()).path("sub").asText())
                .isEqualTo("subject-1");
    }

    @Test
    void algNoneAndHmacWithThePublicKeyAreRefused() {
        refused(sign(header("none", "k1"), claims(), KEY), "algorithm 'none'");
        refused(sign(header("HS256", "k1"), claims(), KEY), "algorithm 'HS256'");
        Map<String, Object> noAlg = header("RS256", "k1");
        noAlg.remove("alg");
        refused(sign(header("RS256", "k1"), claims(), KEY).replaceFirst("^[^.]+", b64(TestJwts.json(noAlg))),
                "algorithm ''");
    }

    @Test
    void aSignatureByAKeyNotInTheSetOrTamperingIsRefused() {
        refused(sign(header("RS256", "k1"), claims(), OTHER), "bad signature");
        refused(sign(header("RS256", "k9"), claims(), OTHER), "unknown key id");
        String good = sign(header("RS256", "k1"), claims(), KEY);
        Map<String, Object> evil = claims();
        evil.put("preferred_username", "admin");
        String[] parts = good.split("\\.");
        refused(parts[0] + "." + b64(TestJwts.json(evil)) + "." + parts[2], "bad signature");
        // an EC key named by an RSA algorithm is not used
        refused(sign(header("RS256", "e1"), claims(), KEY), "not for RS256");
    }

    @Test
    void issuerAudienceAndTypeMustBeThisHubs() {
        Map<String, Object> c = claims();
        c.put("iss", issuer.replace("/test", "/other"));
        refused(sign(header("RS256", "k1"), c, KEY), "issuer");
        c = claims();
        c.put("azp", "other-app");
        c.put("aud", List.of("account"));
        refused(sign(header("RS256", "k1"), c, KEY), "audience");
        c.put("aud", List.of("account", "quiver"));
        assertThat(verifier.verify(sign(header("RS256", "k1"), c, KEY), access())).isNotNull();
        c = claims();
        c.put("typ", "ID");
        refused(sign(header("RS256", "k1"), c, KEY), "token type");
    }

    @Test
    void expiryNotBeforeAndIssuedAtAreHonouredWithASmallSkew() {
        Map<String, Object> c = claims();
        c.put("exp", now() - 31);
        refused(sign(header("RS256", "k1"), c, KEY), "expired");
        c.put("exp", now() - 10);
        assertThat(verifier.verify(sign(header("RS256", "k1"), c, KEY), access())).isNotNull();
        c = claims();
        c.put("nbf", now() + 120);
        refused(sign(header("RS256", "k1"), c, KEY), "not valid before");
        c = claims();
        c.put("iat", now() + 120);
        refused(sign(header("RS256", "k1"), c, KEY), "future");
        c = claims();
        c.remove("exp");
        refused(sign(header("RS256", "k1"), c, KEY), "no expiry");
        c = claims();
        c.put("exp", "tomorrow");
        refused(sign(header("RS256", "k1"), c, KEY), "no expiry");
    }

    @Test
    void idTokensNeedTheirNonce() {
        Map<String, Object> c = claims();
        c.put("typ", "ID");
        c.put("aud", "quiver");
        c.put("nonce", "n-1");
        String token = sign(header("RS256", "k1"), c, KEY);
        assertThat(verifier.verify(token, JwtVerifier.Expect.idToken(config, "n-1"))).isNotNull();
        assertThatThrownBy(() -> verifier.verify(token, JwtVerifier.Expect.idToken(config, "n-2")))
                .hasMessageContaining("nonce");
    }

    @Test
    void headersThatPointElsewhereAreRefused() {
        for (String h : List.of("jku", "x5u", "jwk", "crit")) {
            Map<String, Object> header = header("RS256", "k1");
            header.put(h, h.equals("crit") ? List.of("exp") : "http://evil.example/keys");
            refused(sign(header, claims(), KEY), "header parameters");
        }
    }

    @Test
    void rotatedKeysAreFetchedAgainButNotMoreThanOnceInAWhile() {
        assertThat(verifier.verify(sign(header("RS256", "k1"), claims(), KEY), access())).isNotNull();
        keys.set(List.of(TestJwts.jwk("k2", OTHER)));
        refused(sign(header("RS256", "k2"), claims(), OTHER), "unknown key id");
        int fetches = jwksFetches.get();
        for (int i = 0; i < 20; i++) {
            refused(sign(header("RS256", "k" + (100 + i)), claims(), OTHER), "unknown key id");
        }
        assertThat(jwksFetches.get()).isEqualTo(fetches);
        clock.now = clock.now.plusSeconds(11);
        assertThat(verifier.verify(sign(header("RS256", "k2"), claims(), OTHER), access())).isNotNull();
    }

    @Test
    void malformedTokensAreRefusedWithoutSurprises() {
        String good = sign(header("RS256", "k1"), claims(), KEY);
        String[] parts = good.split("\\.");
        for (String bad : List.of("", ".", "..", "a.b", "a.b.c.d", parts[0] + "." + parts[1], "!!!." + parts[1] + "."
                + parts[2], b64("[1,2]") + "." + parts[1] + "." + parts[2], b64("not json") + "." + parts[1] + "."
                + parts[2], parts[0] + "." + b64("null") + "." + parts[2], good + "x".repeat(20_000))) {
            assertThatThrownBy(() -> verifier.verify(bad, access())).as(bad.length() > 80 ? bad.substring(0, 80) : bad)
                    .isInstanceOf(JwtVerifier.InvalidToken.class);
        }
    }

    @Test
    void unsafeAlgorithmsCannotEvenBeConfigured() {
        assertThatThrownBy(() -> config.withAlgorithms(Set.of("HS256"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withAlgorithms(Set.of("none"))).isInstanceOf(IllegalArgumentException.class);
    }
}

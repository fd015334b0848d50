package dev.quiver.server.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How the hub trusts an OpenID Connect provider (Keycloak): the realm's issuer URL, this hub's client,
 * the claim that lists a user's groups, and which signature algorithms are accepted. Tokens are
 * accepted when their {@code aud} or {@code azp} is one of {@code audiences} (the client id unless
 * configured otherwise). Only asymmetric algorithms are allowed: never {@code none}, never HS*.
 *
 * @param adminGroup a group whose members are site admins, if any
 */
public record OidcConfig(String issuer, String clientId, Optional<String> clientSecret, String groupsClaim,
        Set<String> audiences, Optional<String> adminGroup, Set<String> algorithms, Duration clockSkew) {
    /** The signature algorithms the hub can check; everything else is refused. */
    public static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    public OidcConfig {
        if (!issuer.startsWith("http://") && !issuer.startsWith("https://")) {
            throw new IllegalArgumentException("the OIDC issuer must be an http(s) URL: " + issuer);
        }
        if (issuer.endsWith("/")) {
            issuer = issuer.substring(0, issuer.length() - 1);
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("an OIDC client id is required");
        }
        audiences = Set.copyOf(audiences.isEmpty() ? Set.of(clientId) : audiences);
        algorithms = Set.copyOf(algorithms);
        for (String alg : algorithms) {
            if (!SUPPORTED.contains(alg)) {
                throw new IllegalArgumentException("unsupported or unsafe JWT algorithm " + alg + "; use some of "
                        + SUPPORTED);
            }
        }
    }

    /** {@code scheme://host[:port]} of the issuer: where sign-in and sign-out forms lead the browser. */
    public String issuerOrigin() {
        URI uri = URI.create(issuer);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    public static OidcConfig of(String issuer, String clientId) {
        return new OidcConfig(issuer, clientId, Optional.empty(), "groups", Set.of(), Optional.empty(),
                Set.of("RS256"), Duration.ofSeconds(30));
    }

    public OidcConfig withClientSecret(String secret) {
        return new OidcConfig(issuer, clientId, Optional.of(secret), groupsClaim, audiences, adminGroup, algorithms,
                clockSkew);
    }

    public OidcConfig withGroupsClaim(String claim) {
        return new OidcConfig(issuer, clientId, clientSecret, claim, audiences, adminGroup, algorithms, clockSkew);
    }

    public OidcConfig withAudiences(Set<String> accepted) {
        return new OidcConfig(issuer, clientId, clientSecret, groupsClaim, accepted, adminGroup, algorithms, clockSkew);
    }

    public OidcConfig withAdminGroup(String group) {
        return new OidcConfig(issuer, clientId, clientSecret, groupsClaim, audiences, Optional.of(group), algorithms,
                clockSkew);
    }

    public OidcConfig withAlgorithms(Set<String> allowed) {
        return new OidcConfig(issuer, clientId, clientSecret, groupsClaim, audiences, adminGroup, allowed, clockSkew);
    }

    public OidcConfig withClockSkew(Duration skew) {
        return new OidcConfig(issuer, clientId, clientSecret, groupsClaim, audiences, adminGroup, algorithms, skew);
    }

    /**
     * Reads {@code QUIVER_OIDC_ISSUER} (required for any of it), {@code QUIVER_OIDC_CLIENT_ID},
     * {@code QUIVER_OIDC_CLIENT_SECRET}, {@code QUIVER_OIDC_GROUPS_CLAIM} (default {@code groups}),
     * {@code QUIVER_OIDC_AUDIENCES} and {@code QUIVER_OIDC_ALGORITHMS} (comma-separated), and
     * {@code QUIVER_OIDC_ADMIN_GROUP}.
     */
    public static Optional<OidcConfig> fromEnvironment(Map<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.get(k)).map(String::strip)
                .filter(s -> !s.isEmpty());
        Optional<String> issuer = get.apply("QUIVER_OIDC_ISSUER");
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        OidcConfig c = of(issuer.get(), get.apply("QUIVER_OIDC_CLIENT_ID").orElse("quiver"));
        c = c.withGroupsClaim(get.apply("QUIVER_OIDC_GROUPS_CLAIM").orElse("groups"));
        c = c.withAudiences(get.apply("QUIVER_OIDC_AUDIENCES").map(OidcConfig::list).orElse(Set.of()));
        c = c.withAlgorithms(get.apply("QUIVER_OIDC_ALGORITHMS").map(OidcConfig::list).orElse(Set.of("RS256")));
        Optional<String> secret = get.apply("QUIVER_OIDC_CLIENT_SECRET");
        if (secret.isPresent()) {
            c = c.withClientSecret(secret.get());
        }
        Optional<String> admins = get.apply("QUIVER_OIDC_ADMIN_GROUP");
        if (admins.isPresent()) {
            c = c.withAdminGroup(admins.get());
        }
        return Optional.of(c);
    }

    private static Set<String> list(String csv) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }
}

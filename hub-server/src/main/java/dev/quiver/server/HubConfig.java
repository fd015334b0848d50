package dev.quiver.server;

import dev.quiver.server.auth.FailureThrottle;
import dev.quiver.server.auth.OidcConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a hub runs: where its data lives, where it listens, the public URL it tells clients (when it
 * sits behind a proxy), the admin token to use on first start, how long a runner's claim on a
 * job lasts without a heartbeat, the identity provider to trust (none: local accounts and tokens
 * only), and how hard repeated failed sign-ins are slowed down.
 */
public record HubConfig(Path dataDir, String host, int port, Optional<String> publicUrl,
        Optional<String> adminToken, Duration jobLease, Optional<OidcConfig> oidc,
        FailureThrottle.Settings authThrottle) {
    public static HubConfig defaults(Path dataDir) {
        return new HubConfig(dataDir, "127.0.0.1", 0, Optional.empty(),
                Optional.ofNullable(System.getenv("QUIVER_ADMIN_TOKEN")).filter(s -> !s.isBlank()),
                Duration.ofSeconds(30), OidcConfig.fromEnvironment(System.getenv()),
                FailureThrottle.Settings.defaults());
    }

    public HubConfig withDataDir(Path dir) {
        return new HubConfig(dir, host, port, publicUrl, adminToken, jobLease, oidc, authThrottle);
    }

    public HubConfig withPort(int port) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease, oidc, authThrottle);
    }

    public HubConfig withHost(String host) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease, oidc, authThrottle);
    }

    public HubConfig withAdminToken(String token) {
        return new HubConfig(dataDir, host, port, publicUrl, Optional.of(token), jobLease, oidc, authThrottle);
    }

    public HubConfig withJobLease(Duration lease) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, lease, oidc, authThrottle);
    }

    public HubConfig withOidc(OidcConfig provider) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease, Optional.of(provider), authThrottle);
    }

    public HubConfig withAuthThrottle(FailureThrottle.Settings settings) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease, oidc, settings);
    }
}

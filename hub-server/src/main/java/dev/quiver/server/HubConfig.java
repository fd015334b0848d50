package dev.quiver.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a hub runs: where its data lives, where it listens, the public URL it tells clients (when it
 * sits behind a proxy), the admin token to use on first start, and how long a runner's claim on a
 * job lasts without a heartbeat.
 */
public record HubConfig(Path dataDir, String host, int port, Optional<String> publicUrl,
        Optional<String> adminToken, Duration jobLease) {
    public static HubConfig defaults(Path dataDir) {
        return new HubConfig(dataDir, "127.0.0.1", 0, Optional.empty(),
                Optional.ofNullable(System.getenv("QUIVER_ADMIN_TOKEN")).filter(s -> !s.isBlank()),
                Duration.ofSeconds(30));
    }

    public HubConfig withDataDir(Path dir) {
        return new HubConfig(dir, host, port, publicUrl, adminToken, jobLease);
    }

    public HubConfig withPort(int port) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease);
    }

    public HubConfig withHost(String host) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, jobLease);
    }

    public HubConfig withAdminToken(String token) {
        return new HubConfig(dataDir, host, port, publicUrl, Optional.of(token), jobLease);
    }

    public HubConfig withJobLease(Duration lease) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken, lease);
    }
}

package dev.quiver.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a hub runs: where its data lives, where it listens, the public URL it tells clients (when it
 * sits behind a proxy), and the admin token to use on first start.
 */
public record HubConfig(Path dataDir, String host, int port, Optional<String> publicUrl,
        Optional<String> adminToken) {
    public static HubConfig defaults(Path dataDir) {
        return new HubConfig(dataDir, "127.0.0.1", 0, Optional.empty(),
                Optional.ofNullable(System.getenv("QUIVER_ADMIN_TOKEN")).filter(s -> !s.isBlank()));
    }

    public HubConfig withPort(int port) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken);
    }

    public HubConfig withHost(String host) {
        return new HubConfig(dataDir, host, port, publicUrl, adminToken);
    }

    public HubConfig withAdminToken(String token) {
        return new HubConfig(dataDir, host, port, publicUrl, Optional.of(token));
    }
}

package dev.quiver.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Makes the admin user on a hub's first start. Its token is {@code QUIVER_ADMIN_TOKEN} when set, or a
 * new one written to {@code DATA/admin-token} readable by the owner only.
 */
public final class AdminBootstrap {
    public static final String ADMIN = "admin";

    private AdminBootstrap() {
    }

    /** Returns the file the generated token went to, if one was generated now. */
    public static Optional<Path> ensureAdmin(UserStore users, TokenService tokens, Path dataDir,
            Optional<String> configuredToken) {
        if (users.byName(ADMIN).isPresent()) {
            return Optional.empty();
        }
        User admin = users.create(ADMIN, "Quiver admin", "", true, false);
        String secret = configuredToken.orElseGet(TokenService::newSecret);
        if (!secret.startsWith("hf_")) {
            throw new IllegalArgumentException("QUIVER_ADMIN_TOKEN must start with hf_ (Hugging Face clients refuse other tokens)");
        }
        tokens.store(admin, "admin", AccessToken.Role.WRITE, secret);
        if (configuredToken.isPresent()) {
            return Optional.empty();
        }
        Path file = dataDir.resolve("admin-token");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(file);
    }
}

package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The hub and token that {@code quiver login} saved: a small JSON file readable by its owner only
 * (mode 600), so the token never sits in a world-readable place, not even for a moment.
 */
public record SavedLogin(URI endpoint, String token, String user) {
    public SavedLogin {
        if (token.isBlank()) {
            throw new IllegalArgumentException("a saved login needs a token");
        }
    }

    /** Reads the file; an absent file is no login, an unreadable one is an error that names the file. */
    public static Optional<SavedLogin> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            String endpoint = node.path("endpoint").asText("");
            String token = node.path("token").asText("");
            if (endpoint.isEmpty() || token.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new SavedLogin(ClientSettings.parseEndpoint(endpoint), token, node.path("user").asText("")));
        } catch (IOException | IllegalArgumentException e) {
            throw new HubException(HubException.Problem.BAD_INPUT, "cannot read saved login " + file + ": "
                    + e.getMessage() + "; run `quiver logout` and log in again");
        }
    }

    /** Writes the file atomically, created with mode 600 where the file system has POSIX permissions. */
    public void write(Path file) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("endpoint", endpoint.toString());
        node.put("token", token);
        node.put("user", user);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save login to " + file, e);
        }
    }

    /** Removes the file; true when there was one. */
    public static boolean delete(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}

package dev.quiver.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * The bookkeeping of a {@code --local-dir} download, in huggingface_hub's format
 * ({@code _local_folder.py}), so either tool can continue the other's download:
 * {@code .cache/huggingface/download/{path}.metadata} holds the commit, the etag and the time the file
 * was written; the partial file is {@code {short hash of the name}.{etag}.incomplete} beside it, and
 * {@code {path}.lock} is held while the file is downloaded (see {@link DownloadLock}).
 */
final class LocalDirMetadata {
    private final Path localDir;

    LocalDirMetadata(Path localDir) {
        this.localDir = localDir;
    }

    Path file(String path) {
        return localDir.resolve(RepoFilePath.check(path));
    }

    private Path metadataFile(String path) {
        return bookkeeping(path, ".metadata");
    }

    Path lock(String path) {
        return bookkeeping(path, ".lock");
    }

    private Path bookkeeping(String path, String suffix) {
        return localDir.resolve(".cache/huggingface/download").resolve(RepoFilePath.check(path) + suffix);
    }

    Path incomplete(String path, String etag) {
        Path metadata = metadataFile(path);
        return metadata.resolveSibling(shortHash(metadata.getFileName().toString()) + "."
                + RepoFilePath.checkHexId(etag, "etag") + ".incomplete");
    }

    /**
     * Whether the local file is the one with {@code etag}: the metadata says so and the file has not
     * been modified since the metadata was written (huggingface_hub's rule).
     */
    boolean isCurrent(String path, String etag, long size) {
        Path metadata = metadataFile(path);
        Path file = file(path);
        try {
            if (!Files.isRegularFile(metadata) || !Files.isRegularFile(file) || Files.size(file) != size) {
                return false;
            }
            List<String> lines = Files.readAllLines(metadata, StandardCharsets.UTF_8);
            if (lines.size() < 3 || !lines.get(1).strip().equals(etag)) {
                return false;
            }
            double written = Double.parseDouble(lines.get(2).strip());
            return Files.getLastModifiedTime(file).toMillis() / 1000.0 - 1 <= written;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    void record(String path, String commit, String etag) {
        Path metadata = metadataFile(path);
        try {
            Files.createDirectories(metadata.getParent());
            Path tmp = metadata.resolveSibling(metadata.getFileName() + ".tmp");
            Files.writeString(tmp, commit + "\n" + etag + "\n" + (System.currentTimeMillis() / 1000.0) + "\n");
            Files.move(tmp, metadata, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metadata, e);
        }
    }

    private static String shortHash(String name) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(name.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().encodeToString(sha1);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

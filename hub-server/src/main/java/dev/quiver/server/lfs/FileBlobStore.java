package dev.quiver.server.lfs;

import dev.quiver.server.QuiverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link BlobStore} on the local filesystem: {@code lfs/objects/aa/bb/<sha256>}. Uploads stream into
 * a temporary file while hashing, are fsynced, and are renamed into place only after the hash and
 * size match.
 */
public final class FileBlobStore implements BlobStore {
    private final Path objects;
    private final Path incoming;

    public FileBlobStore(Path lfsDir) {
        this.objects = lfsDir.resolve("objects");
        this.incoming = lfsDir.resolve("incoming");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(incoming);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path path(String oid) {
        if (!BlobStore.isOid(oid)) {
            throw QuiverException.badRequest("invalid LFS object id '" + oid + "': expected 64 lower-case hex digits");
        }
        return objects.resolve(oid.substring(0, 2)).resolve(oid.substring(2, 4)).resolve(oid);
    }

    @Override
    public boolean contains(String oid) {
        return BlobStore.isOid(oid) && Files.isRegularFile(path(oid));
    }

    @Override
    public Optional<Long> size(String oid) {
        try {
            return contains(oid) ? Optional.of(Files.size(path(oid))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> file(String oid) {
        return contains(oid) ? Optional.of(path(oid)) : Optional.empty();
    }

    @Override
    public InputStream open(String oid, long offset) {
        try {
            FileChannel ch = FileChannel.open(path(oid), StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(String oid, long size, InputStream in) {
        Path target = path(oid);
        if (size < 0) {
            throw QuiverException.badRequest("invalid size " + size + " for LFS object " + oid);
        }
        Path tmp = incoming.resolve(UUID.randomUUID().toString());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long written = 0;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    written += n;
                    if (written > size) {
                        throw QuiverException.badRequest("LFS object " + oid + " is larger than the declared " + size
                                + " bytes");
                    }
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                out.flush();
                ch.force(true);
            }
            if (written != size) {
                throw QuiverException.badRequest("LFS object " + oid + " was truncated: got " + written + " of "
                        + size + " bytes");
            }
            publishIfHashMatches(tmp, target, oid, sha);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public String writePart(String uploadId, long offset, long length, InputStream in) {
        Path file = partsFile(uploadId);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 16];
            long position = offset;
            long remaining = length;
            for (int n; remaining > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, remaining))) > 0; ) {
                crc.update(buf, 0, n);
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    position += ch.write(bb, position);
                }
                remaining -= n;
            }
            if (remaining != 0 || in.read() != -1) {
                throw QuiverException.badRequest("part at offset " + offset + " must be exactly " + length + " bytes");
            }
            return Long.toHexString(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void completeParts(String uploadId, String oid, long size) {
        Path file = partsFile(uploadId);
        Path target = path(oid);
        try {
            if (!Files.exists(file)) {
                throw QuiverException.badRequest("no parts were uploaded for this object; upload them before completing");
            }
            if (Files.size(file) != size) {
                throw QuiverException.badRequest("parts add up to " + Files.size(file) + " bytes, not " + size);
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 20);
                while (ch.read(buf) > 0) {
                    buf.flip();
                    sha.update(buf);
                    buf.clear();
                }
                ch.force(true);
            }
            publishIfHashMatches(file, target, oid, sha);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Moves a fully written temp file into place only if its bytes hash to {@code oid}. */
    private static void publishIfHashMatches(Path tmp, Path target, String oid, MessageDigest sha) throws IOException {
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(oid)) {
            throw QuiverException.badRequest("LFS object bytes hash to sha256 " + actual + ", not " + oid);
        }
        Files.createDirectories(target.getParent());
        moveIntoPlace(tmp, target);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temp file is invisible to readers and removed by cleanIncoming on the next start
        }
    }

    /** Renames a verified temp file into place and syncs the directory, so the rename survives a crash. */
    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private Path partsFile(String uploadId) {
        if (!uploadId.matches("[0-9a-f]{64}-[0-9a-f]{16}")) {
            throw QuiverException.badRequest("invalid multipart upload id");
        }
        return incoming.resolve("parts-" + uploadId);
    }

    /** Removes temp files of uploads a crash interrupted. */
    public void cleanIncoming() {
        try (var files = Files.list(incoming)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

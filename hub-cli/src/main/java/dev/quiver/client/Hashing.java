package dev.quiver.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The two content ids of the Hub: sha256 (LFS oids) and the git blob sha1 (regular file oids). */
public final class Hashing {
    private static final int BUFFER = 1 << 20;

    private Hashing() {
    }

    public static MessageDigest sha256() {
        return digest("SHA-256");
    }

    /** A sha1 digest already fed git's {@code blob <size>\0} header, ready for the content. */
    public static MessageDigest gitBlobSha1(long size) {
        MessageDigest d = digest("SHA-1");
        d.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        return d;
    }

    /** The digest that checks content named by {@code etag}: sha256 for 64 hex, git blob sha1 for 40. */
    public static MessageDigest forEtag(String etag, long size) {
        return etag.length() == 64 ? sha256() : gitBlobSha1(size);
    }

    public static String sha256(Path file) {
        return hex(feed(sha256(), file));
    }

    public static String gitBlobSha1(Path file) {
        try {
            return hex(feed(gitBlobSha1(Files.size(file)), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String gitBlobSha1(byte[] content) {
        MessageDigest d = gitBlobSha1(content.length);
        d.update(content);
        return hex(d);
    }

    /** Feeds the whole file into {@code digest} and returns it. */
    public static MessageDigest feed(MessageDigest digest, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}

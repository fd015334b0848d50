package dev.quiver.server.lfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs short-lived transfer URLs. HF clients send no credentials to LFS upload and part URLs, so
 * those URLs carry their own authority: an HMAC over what they allow and when they expire, under a
 * key kept in {@code DATA/secret} (so URLs survive restarts and work on every node sharing the data).
 */
public final class UrlSigner {
    private final byte[] key;
    private final Clock clock;

    UrlSigner(byte[] key, Clock clock) {
        this.key = key.clone();
        this.clock = clock;
    }

    public static UrlSigner fromDataDir(Path dataDir) {
        Path file = dataDir.resolve("secret");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = dataDir.resolve("secret.tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, HexFormat.of().formatHex(fresh));
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new UrlSigner(HexFormat.of().parseHex(Files.readString(file).strip()), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An expiry {@code seconds} from now, in epoch seconds. */
    public long expiry(long seconds) {
        return clock.instant().getEpochSecond() + seconds;
    }

    /** The signature of {@code what} valid until {@code expires}. */
    public String sign(String what, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((what + "|" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code signature} signs {@code what} and has not expired (compared in constant time). */
    public boolean verify(String what, long expires, String signature) {
        if (expires < clock.instant().getEpochSecond()) {
            return false;
        }
        return MessageDigest.isEqual(sign(what, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}

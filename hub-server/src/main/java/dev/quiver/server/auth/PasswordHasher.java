package dev.quiver.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing for local accounts: Argon2id from Bouncy Castle with OWASP's minimum settings
 * (19 MiB, 2 passes, 1 lane), stored in the PHC string format so settings can change later without
 * invalidating stored hashes. Checking a password against no account costs the same as against one
 * (see {@link #verifyNothing}), so timing does not tell which names exist.
 */
public final class PasswordHasher {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 1024;
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int PASSES = 2;
    private static final int LANES = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final String dummy;

    public PasswordHasher() {
        this.dummy = hash("no account has this password " + RANDOM.nextLong());
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, PASSES, LANES, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + PASSES + ",p=" + LANES + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code stored}; a malformed stored value matches nothing. */
    public boolean verify(String password, String stored) {
        Optional<Phc> phc = Phc.parse(stored);
        if (phc.isEmpty()) {
            verifyNothing(password);
            return false;
        }
        Phc p = phc.get();
        byte[] actual = derive(password, p.salt(), p.memory(), p.passes(), p.lanes(), p.hash().length);
        return MessageDigest.isEqual(actual, p.hash());
    }

    /** Spends the time a real check would, for a name that has no account or no password. */
    public void verifyNothing(String password) {
        Phc p = Phc.parse(dummy).orElseThrow();
        derive(password, p.salt(), p.memory(), p.passes(), p.lanes(), p.hash().length);
    }

    /** Problems with a new password, none when it is acceptable. */
    public static Optional<String> weakness(String password) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("a password has at most " + MAX_LENGTH + " characters");
        }
        return Optional.empty();
    }

    private static byte[] derive(String password, byte[] salt, int memory, int passes, int lanes, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory).withIterations(passes).withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** A parsed {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}, within sane bounds. */
    private record Phc(int memory, int passes, int lanes, byte[] salt, byte[] hash) {
        static Optional<Phc> parse(String s) {
            String[] parts = s.split("\\$");
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return Optional.empty();
            }
            try {
                int m = 0;
                int t = 0;
                int p = 0;
                for (String kv : parts[3].split(",")) {
                    String[] pair = kv.split("=", 2);
                    int v = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = v;
                        case "t" -> t = v;
                        case "p" -> p = v;
                        default -> {
                            return Optional.empty();
                        }
                    }
                }
                byte[] salt = B64D.decode(parts[4]);
                byte[] hash = B64D.decode(parts[5]);
                boolean sane = m >= 8 && m <= 1 << 20 && t >= 1 && t <= 16 && p >= 1 && p <= 16 && salt.length >= 8
                        && hash.length >= 16 && hash.length <= 64;
                return sane ? Optional.of(new Phc(m, t, p, salt, hash)) : Optional.empty();
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                return Optional.empty();
            }
        }
    }
}

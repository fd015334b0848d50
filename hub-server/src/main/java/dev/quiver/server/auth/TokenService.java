package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Access tokens shaped like Hugging Face's ({@code hf_} + 34 letters and digits; the official JS
 * client refuses any other shape). Only a SHA-256 of each token is stored: tokens carry about 200
 * bits of randomness, so a fast hash is enough and lookups stay cheap.
 */
public final class TokenService {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public TokenService(Database db) {
        this.db = db;
    }

    public static String newSecret() {
        StringBuilder sb = new StringBuilder("hf_");
        for (int i = 0; i < 34; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Stores {@code secret} as a token of {@code user}; the secret itself is not kept. */
    public AccessToken store(User user, String displayName, AccessToken.Role role, String secret) {
        Instant now = Instant.now();
        long id = db.transaction(c -> Database.insert(c, "INSERT INTO tokens (user_id, display_name, hash, role, "
                + "created_at) VALUES (?, ?, ?, ?, ?)", user.id(), displayName, hash(secret), role.name(),
                now.toString()));
        return new AccessToken(id, user.id(), displayName, role, now);
    }

    /** The live token with this secret, if any. */
    public Optional<AccessToken> find(String secret) {
        if (!secret.startsWith("hf_") || secret.length() > 200) {
            return Optional.empty();
        }
        return db.queryOne("SELECT * FROM tokens WHERE hash = ? AND revoked = 0", r -> new AccessToken(
                r.getLong("id"), r.getLong("user_id"), r.getString("display_name"),
                AccessToken.Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT)),
                Instant.parse(r.getString("created_at"))), hash(secret));
    }

    public void touch(AccessToken token) {
        db.update("UPDATE tokens SET last_used_at = ? WHERE id = ?", Instant.now().toString(), token.id());
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

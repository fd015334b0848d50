package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.db.Database;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Access tokens shaped like Hugging Face's ({@code hf_} + 34 letters and digits; the official JS
 * client refuses any other shape). Only a SHA-256 of each token is stored: tokens carry about 200
 * bits of randomness, so a fast hash is enough. A token is found by a short prefix of its hash and
 * then the whole hash is compared in constant time, so response times say nothing about stored ones.
 */
public final class TokenService {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PREFIX = 12;
    /** How stale {@code last_used_at} may get: not every request is worth a durable write. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
    public static final int MAX_NAME = 100;
    public static final int MAX_REPOS = 100;

    private final Database db;

    public TokenService(Database db) {
        this.db = db;
    }

    /** A token just made: its facts and the secret, which is shown this once and never again. */
    public record NewToken(AccessToken token, String secret) {
    }

    public static String newSecret() {
        StringBuilder sb = new StringBuilder("hf_");
        for (int i = 0; i < 34; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Makes a new token for {@code user}. */
    public NewToken create(User user, String displayName, AccessToken.Role role, List<RepoId> repos) {
        String secret = newSecret();
        return new NewToken(store(user, displayName, role, secret, repos), secret);
    }

    /** Stores {@code secret} as a token of {@code user}; the secret itself is not kept. */
    public AccessToken store(User user, String displayName, AccessToken.Role role, String secret) {
        return store(user, displayName, role, secret, List.of());
    }

    public AccessToken store(User user, String displayName, AccessToken.Role role, String secret, List<RepoId> repos) {
        if (displayName.isBlank() || displayName.length() > MAX_NAME || displayName.chars().anyMatch(c -> c < 0x20)) {
            throw QuiverException.badRequest("a token name is 1-" + MAX_NAME + " printable characters");
        }
        if (repos.size() > MAX_REPOS) {
            throw QuiverException.badRequest("a token may be limited to at most " + MAX_REPOS + " repositories");
        }
        Instant now = Instant.now();
        String hash = hash(secret);
        long id = db.transaction(c -> Database.insert(c, "INSERT INTO tokens (user_id, display_name, hash, hash_prefix, "
                + "role, created_at, repos) VALUES (?, ?, ?, ?, ?, ?, ?)", user.id(), displayName, hash,
                hash.substring(0, PREFIX), role.name(), now.toString(), encode(repos)));
        return new AccessToken(id, user.id(), displayName, role, now, repos, Optional.empty());
    }

    /** The live token with this secret, if any. */
    public Optional<AccessToken> find(String secret) {
        if (!secret.startsWith("hf_") || secret.length() > 200) {
            return Optional.empty();
        }
        byte[] wanted = hash(secret).getBytes(StandardCharsets.US_ASCII);
        List<Candidate> candidates = db.query("SELECT * FROM tokens WHERE hash_prefix = ? AND revoked = 0",
                r -> new Candidate(r.getString("hash"), row(r)), hash(secret).substring(0, PREFIX));
        Optional<AccessToken> found = Optional.empty();
        for (Candidate c : candidates) {
            if (MessageDigest.isEqual(wanted, c.hash().getBytes(StandardCharsets.US_ASCII))) {
                found = Optional.of(c.token());
            }
        }
        return found;
    }

    private record Candidate(String hash, AccessToken token) {
    }

    /** The user's live tokens, newest first. */
    public List<AccessToken> list(long userId) {
        return db.query("SELECT * FROM tokens WHERE user_id = ? AND revoked = 0 ORDER BY id DESC", TokenService::row,
                userId);
    }

    /** Revokes one of the user's tokens; false if it has no live token with that id. */
    public boolean revoke(long userId, long id) {
        return db.update("UPDATE tokens SET revoked = 1, revoked_at = ? WHERE user_id = ? AND id = ? AND revoked = 0",
                Instant.now().toString(), userId, id) == 1;
    }

    /** Records that the token was used now (at most every few seconds per token). */
    public void touch(AccessToken token) {
        Instant now = Instant.now();
        if (token.lastUsedAt().map(t -> t.plus(TOUCH_EVERY).isAfter(now)).orElse(false)) {
            return;
        }
        db.update("UPDATE tokens SET last_used_at = ? WHERE id = ?", now.toString(), token.id());
    }

    private static AccessToken row(ResultSet r) throws SQLException {
        String lastUsed = r.getString("last_used_at");
        return new AccessToken(r.getLong("id"), r.getLong("user_id"), r.getString("display_name"),
                AccessToken.Role.valueOf(r.getString("role").toUpperCase(Locale.ROOT)),
                Instant.parse(r.getString("created_at")), decode(r.getString("repos")),
                Optional.ofNullable(lastUsed).map(Instant::parse));
    }

    private static String encode(List<RepoId> repos) {
        return repos.stream().map(r -> r.type().plural() + "/" + r.id()).collect(Collectors.joining(" "));
    }

    private static List<RepoId> decode(String stored) {
        List<RepoId> out = new ArrayList<>();
        for (String s : stored.split(" ")) {
            if (!s.isEmpty()) {
                int slash = s.indexOf('/');
                out.add(RepoId.of(HostedTypes.fromPlural(s.substring(0, slash)).orElseThrow(), s.substring(slash + 1)));
            }
        }
        return out;
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

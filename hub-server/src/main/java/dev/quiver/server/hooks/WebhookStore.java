package dev.quiver.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.quiver.schema.json.Json;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.db.Database;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Webhooks and their deliveries in the database. */
public final class WebhookStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public WebhookStore(Database db) {
        this.db = db;
    }

    public Webhook create(String owner, String url, List<Webhook.Watched> watched, List<String> domains, String secret) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        db.update("INSERT INTO webhooks (id, owner, url, watched, domains, secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, owner, url, json(watched), json(domains), secret, Instant.now().toString());
        return get(id).orElseThrow();
    }

    public Webhook update(String id, String url, List<Webhook.Watched> watched, List<String> domains, String secret) {
        db.update("UPDATE webhooks SET url = ?, watched = ?, domains = ?, secret = ? WHERE id = ?", url, json(watched),
                json(domains), secret, id);
        return get(id).orElseThrow();
    }

    public void setDisabled(String id, boolean disabled) {
        db.update("UPDATE webhooks SET disabled = ? WHERE id = ?", disabled ? 1 : 0, id);
    }

    public void delete(String id) {
        db.update("DELETE FROM webhooks WHERE id = ?", id);
        db.update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", id);
    }

    public Optional<Webhook> get(String id) {
        return db.queryOne("SELECT * FROM webhooks WHERE id = ?", WebhookStore::row, id);
    }

    public List<Webhook> byOwner(String owner) {
        return db.query("SELECT * FROM webhooks WHERE owner = ? ORDER BY created_at", WebhookStore::row, owner);
    }

    public List<Webhook> all() {
        return db.query("SELECT * FROM webhooks WHERE disabled = 0", WebhookStore::row);
    }

    /** A delivery and its latest attempt. */
    public record Delivery(long id, String webhookId, String repo, long eventSeq, String payload, String state,
            int attempts, Optional<Integer> lastStatus, String lastError, Instant createdAt) {
    }

    /** Queues a delivery of an outbox event; one per (webhook, event), so a replayed event is not sent twice. */
    public void enqueue(String webhookId, String repo, long eventSeq, String payload) {
        db.update("INSERT OR IGNORE INTO webhook_deliveries (webhook_id, repo, event_seq, payload, state, next_attempt_at,"
                + " created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)", webhookId, repo, eventSeq, payload,
                Instant.now().toEpochMilli(), Instant.now().toString());
    }

    /**
     * Deliveries due now that are the oldest pending one of their (webhook, repository): a delivery
     * waits while an earlier one for the same repository is still being retried, so each receiver
     * sees a repository's events in order.
     */
    public List<Delivery> due(int limit) {
        return db.query("SELECT * FROM webhook_deliveries d WHERE state = 'pending' AND next_attempt_at <= ? AND NOT EXISTS"
                + " (SELECT 1 FROM webhook_deliveries e WHERE e.state = 'pending' AND e.webhook_id = d.webhook_id AND"
                + " e.repo = d.repo AND e.id < d.id) ORDER BY id LIMIT ?", WebhookStore::delivery,
                Instant.now().toEpochMilli(), limit);
    }

    public void delivered(long id, int status) {
        db.update("UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?,"
                + " last_error = '', delivered_at = ? WHERE id = ?", status, Instant.now().toString(), id);
    }

    public void failed(long id, Optional<Integer> status, String error, Instant retryAt) {
        db.update("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?,"
                + " next_attempt_at = ? WHERE id = ?", status.orElse(null), error, retryAt.toEpochMilli(), id);
    }

    public List<Delivery> deliveries(String webhookId, int limit) {
        return db.query("SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
                WebhookStore::delivery, webhookId, limit);
    }

    /** Sends a delivery again (after the receiver was fixed, say). */
    public void replay(String webhookId, long deliveryId) {
        int n = db.update("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = ? WHERE id = ? AND"
                + " webhook_id = ?", Instant.now().toEpochMilli(), deliveryId, webhookId);
        if (n == 0) {
            throw new QuiverException(Reason.NOT_FOUND, "no delivery " + deliveryId + " for this webhook");
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Webhook row(ResultSet r) throws SQLException {
        try {
            return new Webhook(r.getString("id"), r.getString("owner"), r.getString("url"),
                    Json.mapper().readValue(r.getString("watched"), new TypeReference<List<Webhook.Watched>>() { }),
                    Json.mapper().readValue(r.getString("domains"), new TypeReference<List<String>>() { }),
                    r.getString("secret"), r.getInt("disabled") != 0);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable webhook " + r.getString("id"), e);
        }
    }

    private static Delivery delivery(ResultSet r) throws SQLException {
        int status = r.getInt("last_status");
        return new Delivery(r.getLong("id"), r.getString("webhook_id"), r.getString("repo"), r.getLong("event_seq"),
                r.getString("payload"), r.getString("state"), r.getInt("attempts"),
                r.wasNull() ? Optional.empty() : Optional.of(status), r.getString("last_error"),
                Instant.parse(r.getString("created_at")));
    }
}

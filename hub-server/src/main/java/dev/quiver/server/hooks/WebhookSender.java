package dev.quiver.server.hooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers queued webhook payloads: POST with {@code X-Webhook-Secret}, success on any 2xx, and on
 * failure a retry with exponential backoff (1 s doubling to 5 min). A receiver that is down gets
 * every delivery once it is back, in order per repository (see {@link WebhookStore#due}).
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final WebhookStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Thread thread;
    private volatile boolean running = true;

    public WebhookSender(WebhookStore store) {
        this.store = store;
        this.thread = Thread.ofVirtual().name("webhook-sender").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                List<WebhookStore.Delivery> due = store.due(50);
                for (WebhookStore.Delivery d : due) {
                    send(d);
                }
                if (due.isEmpty()) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "webhook delivery loop failed; retrying", e);
            }
        }
    }

    private void send(WebhookStore.Delivery d) throws InterruptedException {
        Optional<Webhook> hook = store.get(d.webhookId());
        if (hook.isEmpty() || hook.get().disabled()) {
            return;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(hook.get().url())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("User-Agent", "Quiver-Webhooks/1")
                    .header("X-Webhook-Secret", hook.get().secret())
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                store.delivered(d.id(), response.statusCode());
            } else {
                store.failed(d.id(), Optional.of(response.statusCode()), "HTTP " + response.statusCode(), retryAt(d));
            }
        } catch (IOException | IllegalArgumentException e) {
            store.failed(d.id(), Optional.empty(), String.valueOf(e.getMessage()), retryAt(d));
        }
    }

    private static Instant retryAt(WebhookStore.Delivery d) {
        long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(d.attempts(), 20));
        return Instant.now().plusSeconds(seconds);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

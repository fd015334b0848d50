package dev.quiver.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a transient failure (connection reset, 408, 429, 5xx) is retried:
 * exponential backoff with full jitter, capped, honouring a server's {@code Retry-After} in seconds.
 */
public record Retry(int attempts, Duration initialDelay, Duration maxDelay) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(400), Duration.ofSeconds(8));
    public static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO);

    public Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** The pause before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration delay(int attempt, java.util.Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration ra = retryAfter.get();
            return ra.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : ra;
        }
        long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    /** The statuses that say "try again later" rather than "this request is wrong". */
    public static boolean isTransient(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Problem.UNAVAILABLE, "interrupted");
        }
    }
}

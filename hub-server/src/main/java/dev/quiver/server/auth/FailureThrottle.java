package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing. Each source (client address) may fail a few authentications freely within a
 * window; after that, every credential check from it waits its turn, spaced by a delay that doubles
 * with each further failure up to a cap. Parallel connections do not help an attacker: turns are
 * handed out one after another. A source whose wait would pass {@link Settings#maxWait} gets a 429
 * without its credentials being looked at. Successful checks are slowed alike, so timing says nothing.
 */
public final class FailureThrottle {
    /** How strict to be; {@link #defaults()} are for production. */
    public record Settings(int freeFailures, Duration window, Duration baseDelay, Duration maxDelay, Duration maxWait) {
        public static Settings defaults() {
            return new Settings(5, Duration.ofMinutes(15), Duration.ofMillis(250), Duration.ofSeconds(8),
                    Duration.ofSeconds(30));
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Source> sources = new ConcurrentHashMap<>();

    private static final class Source {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant nextTurn = Instant.EPOCH;
    }

    public FailureThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Waits until {@code source} may have its credentials checked. Returns at once for a source with
     * few recent failures; throws 429 when the wait would be too long.
     */
    public void awaitTurn(String source) {
        Duration wait = reserveTurn(source);
        if (wait.isZero()) {
            return;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuiverException(Reason.UNAVAILABLE, "interrupted");
        }
    }

    /** How long {@code source} must wait before its next check; reserves that turn. */
    Duration reserveTurn(String source) {
        Source s = sources.get(source);
        if (s == null) {
            return Duration.ZERO;
        }
        synchronized (s) {
            Instant now = clock.instant();
            prune(s, now);
            int over = s.failures.size() - settings.freeFailures();
            if (over < 0) {
                return Duration.ZERO;
            }
            Instant turn = s.nextTurn.isAfter(now) ? s.nextTurn : now;
            Duration wait = Duration.between(now, turn);
            if (wait.compareTo(settings.maxWait()) > 0) {
                throw new QuiverException(Reason.TOO_MANY_REQUESTS,
                        "Too many failed authentications from your address: try again later")
                        .withDetail("retryAfter", Long.toString(wait.toSeconds()));
            }
            s.nextTurn = turn.plus(delay(over));
            return wait;
        }
    }

    /** Records a failed authentication from {@code source}. */
    public void failed(String source) {
        Source s = sources.computeIfAbsent(source, k -> new Source());
        synchronized (s) {
            Instant now = clock.instant();
            prune(s, now);
            s.failures.addLast(now);
        }
        if (sources.size() > 100_000) {
            forgetQuietSources();
        }
    }

    /** Recent failures from {@code source}. */
    public int failures(String source) {
        Source s = sources.get(source);
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            prune(s, clock.instant());
            return s.failures.size();
        }
    }

    private Duration delay(int over) {
        long ms = settings.baseDelay().toMillis() << Math.min(over, 20);
        return Duration.ofMillis(Math.min(ms, settings.maxDelay().toMillis()));
    }

    private void prune(Source s, Instant now) {
        Instant since = now.minus(settings.window());
        while (!s.failures.isEmpty() && s.failures.peekFirst().isBefore(since)) {
            s.failures.removeFirst();
        }
    }

    private void forgetQuietSources() {
        Instant now = clock.instant();
        sources.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().failures.isEmpty() && !e.getValue().nextTurn.isAfter(now);
            }
        });
    }
}

package dev.quiver.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    final FailureThrottle throttle = new FailureThrottle(new FailureThrottle.Settings(3, Duration.ofMinutes(15),
            Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5)), clock);

    @Test
    void aSourceWithFewFailuresNeverWaits() {
        throttle.failed("a");
        throttle.failed("a");
        assertThat(throttle.reserveTurn("a")).isZero();
        assertThat(throttle.reserveTurn("never-failed")).isZero();
    }

    @Test
    void turnsAreSpacedByADelayThatDoublesWithEachFailure() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("a");
        }
        assertThat(throttle.reserveTurn("a")).isZero();
        // parallel attempts queue behind each other rather than all going at once
        assertThat(throttle.reserveTurn("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.reserveTurn("a")).isEqualTo(Duration.ofMillis(200));
        throttle.failed("a");
        clock.now = clock.now.plusSeconds(1);
        assertThat(throttle.reserveTurn("a")).isZero();
        assertThat(throttle.reserveTurn("a")).isEqualTo(Duration.ofMillis(200));
        assertThat(throttle.reserveTurn("b")).isZero();
    }

    @Test
    void theDelayIsCappedAndTooLongAWaitIsRefusedWithoutChecking() {
        for (int i = 0; i < 30; i++) {
            throttle.failed("a");
        }
        assertThat(throttle.reserveTurn("a")).isZero();
        assertThat(throttle.reserveTurn("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.reserveTurn("a")).isEqualTo(Duration.ofSeconds(4));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5; i++) {
                throttle.reserveTurn("a");
            }
        }).isInstanceOfSatisfying(QuiverException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_REQUESTS));
    }

    @Test
    void failuresAgeOutOfTheWindow() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("a");
        }
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        assertThat(throttle.failures("a")).isZero();
        assertThat(throttle.reserveTurn("a")).isZero();
        assertThat(throttle.reserveTurn("a")).isZero();
    }
}

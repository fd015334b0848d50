package dev.quiver.runner.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.client.HubException;
import dev.quiver.client.HubException.Problem;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A hub that is away is waited for; a hub that answers no is not asked again. */
class HubPatienceTest {
    private final HubPatience patience = new HubPatience(Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void aCallThatGetsNoAnswerOrAGatewayErrorIsMadeAgainUntilTheHubAnswers() {
        AtomicInteger calls = new AtomicInteger();
        String answer = patience.call("testing", () -> switch (calls.incrementAndGet()) {
            case 1, 2, 3 -> throw failure(Problem.UNAVAILABLE, 0);
            case 4 -> throw failure(Problem.UNAVAILABLE, 503);
            default -> "here";
        });
        assertThat(answer).isEqualTo("here");
        assertThat(calls).hasValue(5);
    }

    @Test
    void anAnswerThatSaysNoIsTheCallersAtOnce() {
        for (HubException no : new HubException[] {failure(Problem.CONFLICT, 409), failure(Problem.UNAVAILABLE, 500)}) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> patience.call("testing", () -> {
                calls.incrementAndGet();
                throw no;
            })).isSameAs(no);
            assertThat(calls).hasValue(1);
        }
    }

    private static HubException failure(Problem problem, int status) {
        return new HubException(problem, status, Optional.empty(), "status " + status, null);
    }
}

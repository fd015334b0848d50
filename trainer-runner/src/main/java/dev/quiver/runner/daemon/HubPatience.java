package dev.quiver.runner.daemon;

import dev.quiver.client.HubException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Waits out a hub that is away (restarting, or the network between is down): a call that got no
 * answer, or a proxy's "hub unavailable", is made again after a pause that doubles up to
 * {@code maxPause}, for as long as it takes. A runner loses nothing meanwhile: its job keeps
 * training, and a hub that starts again renews the job's lease. An answer that says no (4xx, a
 * 500 from a bug) is the caller's to handle, since asking again would not change it.
 */
record HubPatience(Duration firstPause, Duration maxPause) {
    static final HubPatience DEFAULT = new HubPatience(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final Logger LOG = Logger.getLogger(HubPatience.class.getName());

    <T> T call(String what, Supplier<T> call) {
        Duration pause = firstPause;
        while (true) {
            try {
                return call.get();
            } catch (HubException e) {
                if (!isAway(e)) {
                    throw e;
                }
                LOG.warning("the hub is away while " + what + " (" + e.getMessage() + "); trying again in "
                        + pause.toMillis() + " ms");
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
            }
        }
    }

    /** No reply at all, or a gateway in front of the hub saying it cannot reach it. */
    static boolean isAway(HubException e) {
        return e.problem() == HubException.Problem.UNAVAILABLE
                && (e.status() == 0 || e.status() == 502 || e.status() == 503 || e.status() == 504);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Problem.UNAVAILABLE, "interrupted while waiting for the hub");
        }
    }
}

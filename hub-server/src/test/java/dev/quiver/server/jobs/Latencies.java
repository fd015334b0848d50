package dev.quiver.server.jobs;

import java.util.Arrays;

/** Durations measured by many threads at once, summarised as percentiles (for the queue benchmark). */
final class Latencies {
    private long[] nanos = new long[1024];
    private int count;

    synchronized void add(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code p}th percentile in milliseconds (nearest rank). */
    synchronized double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6;
    }

    @Override
    public synchronized String toString() {
        if (count == 0) {
            return "no samples";
        }
        return String.format("n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms", count, percentileMillis(50),
                percentileMillis(99), percentileMillis(100));
    }
}

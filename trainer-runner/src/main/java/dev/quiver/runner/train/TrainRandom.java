package dev.quiver.runner.train;

/**
 * The training loop's one source of randomness: SplitMix64, whose whole state is one long, so a
 * checkpoint can save it and a resumed run draws exactly what the uninterrupted run would have.
 * It shuffles each epoch and seeds the engine's generator (dropout) before every optimizer step.
 */
final class TrainRandom {
    private long state;

    TrainRandom(long state) {
        this.state = state;
    }

    long state() {
        return state;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** In [0, bound); the modulo bias is below bound / 2^63, far under anything a shuffle could show. */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    /** A Fisher-Yates permutation of 0..n-1. */
    int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

package dev.quiver.server.git;

import org.eclipse.jgit.storage.file.WindowCacheConfig;

/**
 * Sizes JGit's process-wide pack caches for a server, once at hub start. JGit's defaults (10 MiB of
 * pack windows, 10 MiB of delta bases) suit a desktop tool; a hub serving clones of many
 * repositories rereads packs from disk with them. The budget follows the heap: a quarter for pack
 * windows, a sixteenth for delta bases, within bounds.
 */
public final class GitCaches {
    private static final long MIB = 1L << 20;

    private GitCaches() {
    }

    /** The settings for a JVM whose heap may grow to {@code maxHeap} bytes. */
    public static WindowCacheConfig forHeap(long maxHeap) {
        WindowCacheConfig c = new WindowCacheConfig();
        c.setPackedGitLimit(clamp(maxHeap / 4, 32 * MIB, 2048 * MIB));
        // larger windows mean fewer page-ins while streaming a whole pack to a cloning client
        c.setPackedGitWindowSize(64 * 1024);
        c.setPackedGitOpenFiles(512);
        c.setDeltaBaseCacheLimit((int) clamp(maxHeap / 16, 16 * MIB, 256 * MIB));
        c.setStreamFileThreshold((int) clamp(maxHeap / 16, 16 * MIB, 256 * MIB));
        // strong references keep the budget exact instead of leaving it to the garbage collector
        c.setPackedGitUseStrongRefs(true);
        return c;
    }

    /** Installs {@link #forHeap} for this JVM's maximum heap. */
    public static void install() {
        forHeap(Runtime.getRuntime().maxMemory()).install();
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}

package dev.quiver.client;

/**
 * Hears about a transfer as it goes, for progress bars. Called from several threads at once:
 * implementations must be thread-safe and quick.
 */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {
    };

    /** The work ahead: files and bytes that will actually move (not what is already in place). */
    default void planned(int files, long bytes) {
    }

    /** Another download of {@code path} (another process, or another thread) is writing it; this one waits. */
    default void waiting(String path) {
    }

    default void started(String path, long size) {
    }

    /** {@code bytes} more of {@code path} moved. A retry that restarts from zero reports a negative amount. */
    default void progressed(String path, long bytes) {
    }

    default void finished(String path) {
    }
}

package dev.quiver.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two buffers and a thread that hashes one while the caller fills the other, so receiving a large
 * download and hashing it overlap instead of taking turns on one core.
 */
final class DigestPipe implements AutoCloseable {
    private final MessageDigest digest;
    private final byte[][] buffers;
    // a virtual thread: a snapshot makes one pipe per file, and most files are small
    private final ExecutorService hasher = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("digest")
            .factory());
    private Future<?> pending = CompletableFuture.completedFuture(null);
    private int current;

    DigestPipe(MessageDigest digest, int bufferSize) {
        this.digest = digest;
        this.buffers = new byte[][] {new byte[bufferSize], new byte[bufferSize]};
    }

    /** The buffer to fill next. */
    byte[] buffer() {
        return buffers[current];
    }

    /** Hashes the first {@code n} bytes of the buffer just filled, in the background. */
    void submit(int n) throws IOException {
        finish(); // the other buffer's hashing is done before the caller may fill it
        byte[] full = buffers[current];
        pending = hasher.submit(() -> digest.update(full, 0, n));
        current ^= 1;
    }

    /** Waits until every submitted byte is in the digest. */
    void finish() throws IOException {
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
    }

    /** Finishes the hashing in flight (the digest must hold exactly what was written) and stops the thread. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            hasher.shutdown();
        }
    }
}

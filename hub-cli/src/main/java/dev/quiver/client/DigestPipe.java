package dev.quiver.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two buffers and a thread that hashes one while the caller fills the other, so receiving a large
 * download and hashing it overlap instead of taking turns on one core. A large download's buffers
 * are direct, so that it is read straight from the socket and written straight to the file (see
 * {@link Http11.Input}). Content that fits one buffer is hashed on the caller's thread: there is
 * nothing to overlap.
 */
final class DigestPipe implements AutoCloseable {
    private final MessageDigest digest;
    private final ByteBuffer[] buffers;
    // a virtual thread, and none for content that fits one buffer: a snapshot makes a pipe per file
    private final ExecutorService hasher;
    private Future<?> pending = CompletableFuture.completedFuture(null);
    private int current;

    /** A pipe for {@code size} bytes, read in buffers of at most {@code maxBuffer}. */
    DigestPipe(MessageDigest digest, long size, int maxBuffer) {
        this.digest = digest;
        int bufferSize = (int) Math.clamp(size, 1, maxBuffer);
        boolean overlap = size > maxBuffer;
        this.buffers = overlap
                ? new ByteBuffer[] {ByteBuffer.allocateDirect(bufferSize), ByteBuffer.allocateDirect(bufferSize)}
                : new ByteBuffer[] {ByteBuffer.allocate(bufferSize)};
        this.hasher = overlap ? Executors.newSingleThreadExecutor(Thread.ofVirtual().name("digest").factory()) : null;
    }

    /** The buffer to fill next, cleared. */
    ByteBuffer buffer() {
        return buffers[current].clear();
    }

    /** Hashes the buffer just filled, from its start to its limit, in the background. */
    void submit() throws IOException {
        ByteBuffer full = buffers[current].rewind();
        if (hasher == null) {
            digest.update(full);
            return;
        }
        finish(); // the other buffer's hashing is done before the caller may fill it
        pending = hasher.submit(() -> digest.update(full));
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
            if (hasher != null) {
                hasher.shutdown();
            }
        }
    }
}

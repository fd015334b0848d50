package dev.quiver.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A ring of buffers and a thread that hashes the filled ones in order while the caller fills the
 * next, so receiving a large download and hashing it overlap instead of taking turns. The ring is
 * deep ({@value #RING} buffers: 16 MiB of a download's 256 KiB ones) so that neither side waits on
 * the other's hiccups: with two buffers each stall of one (a slow page-cache write, a late wake-up)
 * stalled the other, and a quarter of two cores sat idle during a download (an eighth with the
 * ring). A buffer is allocated when the ring needs one more, not all up front: 64 direct buffers of
 * 256 KiB took 8 ms to allocate (zeroed and faulted in) before the first byte could be read. A large
 * download's buffers are direct, so that it is read straight from the socket and written straight
 * to the file (see {@link Http11.Input}). Content that fits one buffer is hashed on the caller's
 * thread: there is nothing to overlap.
 */
final class DigestPipe implements AutoCloseable {
    static final int RING = 64;
    /** Ends the hasher's queue. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    /** Left in the free queue once the hasher failed, so that every wait for a buffer ends. */
    private static final ByteBuffer FAILED = ByteBuffer.allocate(0);

    private final MessageDigest digest;
    private final BlockingQueue<ByteBuffer> free;
    private final BlockingQueue<ByteBuffer> filled;
    private final Thread hasher;
    private final int count;
    private final int bufferSize;
    private int allocated;
    private volatile Throwable failure;
    private ByteBuffer current;

    /** A pipe for {@code size} bytes, read in buffers of at most {@code maxBuffer}. */
    DigestPipe(MessageDigest digest, long size, int maxBuffer) {
        this.digest = digest;
        this.bufferSize = (int) Math.clamp(size, 1, maxBuffer);
        boolean overlap = size > maxBuffer;
        this.count = overlap ? (int) Math.min(RING, (size + bufferSize - 1) / bufferSize) : 1;
        this.free = new ArrayBlockingQueue<>(count + 1);
        this.filled = new ArrayBlockingQueue<>(count + 1);
        // a platform thread: it runs flat out for the whole download, and a snapshot's small files make none
        this.hasher = overlap ? Thread.ofPlatform().daemon().name("digest").start(this::hashFilled) : null;
    }

    private void hashFilled() {
        try {
            for (ByteBuffer full = filled.take(); full != END; full = filled.take()) {
                digest.update(full);
                free.add(full);
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            failure = e;
            free.add(FAILED);
        }
    }

    /** The buffer to fill next, cleared; waits while every buffer is still being hashed. */
    ByteBuffer buffer() throws IOException {
        if (current == null) {
            current = takeFree();
        }
        return current.clear();
    }

    /**
     * Hashes the buffer just filled, from its start to its limit, in the background. The caller may
     * go on reading those bytes through a view of its own (to write them to a file) until it next
     * asks for a buffer; it must not change them.
     */
    void submit() throws IOException {
        ByteBuffer full = current.rewind();
        current = null;
        if (hasher == null) {
            digest.update(full);
            free.add(full);
            return;
        }
        filled.add(full);
    }

    /** Waits until every submitted byte is in the digest. */
    void finish() throws IOException {
        if (hasher == null) {
            return;
        }
        // every buffer back in the free queue means every submitted one was hashed
        List<ByteBuffer> held = new ArrayList<>(count);
        try {
            while (held.size() < allocated - (current == null ? 0 : 1)) {
                held.add(awaitFree());
            }
        } finally {
            free.addAll(held);
        }
    }

    /** A hashed buffer, or a new one while none is free and the ring is not full. */
    private ByteBuffer takeFree() throws IOException {
        if (free.isEmpty() && allocated < count) {
            allocated++;
            return hasher != null ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
        }
        return awaitFree();
    }

    private ByteBuffer awaitFree() throws IOException {
        try {
            ByteBuffer b = free.take();
            if (b == FAILED) {
                free.add(FAILED);
                throw new IllegalStateException("hashing the download failed", failure);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    /** Finishes the hashing in flight (the digest must hold exactly what was written) and stops the thread. */
    @Override
    public void close() throws IOException {
        if (hasher == null) {
            return;
        }
        try {
            finish();
        } finally {
            filled.add(END);
        }
    }
}

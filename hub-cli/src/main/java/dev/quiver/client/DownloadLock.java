package dev.quiver.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sole right to write one download's files ({@code .incomplete} and what it becomes), held
 * through a lock file that every Quiver process and thread takes before writing them. Without it
 * two downloads of one blob into a shared cache (two CI jobs, a trainer runner and a person) wrote
 * the same {@code .incomplete} at once and both failed, or worse.
 *
 * <p>The lock files sit where huggingface_hub keeps its own ({@code .locks/} in the cache,
 * {@code .cache/huggingface/download/} in a local folder). The JDK locks them with {@code fcntl},
 * while huggingface_hub's {@code filelock} uses {@code flock}, and Linux keeps the two apart: Quiver
 * processes exclude each other, not a Python download running at the same moment. Within one JVM
 * {@code fcntl} locks do not exclude, so threads queue on a lock of their own first.
 */
final class DownloadLock implements AutoCloseable {
    /** The in-process queue for each lock file, kept while anyone here holds or waits for it. */
    private static final Map<Path, Local> LOCAL = new HashMap<>();

    private final Path file;
    private final Local local;
    private final FileChannel channel;
    private final FileLock lock;

    private static final class Local {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private DownloadLock(Path file, Local local, FileChannel channel, FileLock lock) {
        this.file = file;
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code file} (creating it), waiting as long as another thread or process
     * holds it; {@code onWait} runs once, before the first wait, so the user learns why nothing moves.
     */
    static DownloadLock acquire(Path file, Runnable onWait) {
        Path key = file.toAbsolutePath().normalize();
        Local local = join(key);
        boolean told = false;
        try {
            if (!local.lock.tryLock()) {
                onWait.run();
                told = true;
                local.lock.lockInterruptibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            leave(key, local);
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for " + key));
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                if (!told) {
                    onWait.run();
                }
                held = channel.lock();
            }
            return new DownloadLock(key, local, channel, held);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            local.lock.unlock();
            leave(key, local);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock " + key, io);
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it too
        } finally {
            closeQuietly(channel);
            local.lock.unlock();
            leave(file, local);
        }
    }

    private static Local join(Path key) {
        synchronized (LOCAL) {
            Local local = LOCAL.computeIfAbsent(key, k -> new Local());
            local.users++;
            return local;
        }
    }

    private static void leave(Path key, Local local) {
        synchronized (LOCAL) {
            if (--local.users == 0) {
                LOCAL.remove(key);
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it; the lock goes with the descriptor
        }
    }
}

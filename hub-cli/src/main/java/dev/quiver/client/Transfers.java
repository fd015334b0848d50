package dev.quiver.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs transfers side by side, at most {@code parallelism} at a time, on as many platform threads.
 * Not virtual threads: a transfer is mostly file-system calls, each of which made the virtual-thread
 * scheduler add and retire a carrier thread, and sockets read by virtual threads leave poller
 * threads in {@code epoll_wait} that the JVM waits for at exit. The first failure cancels what has
 * not finished and is rethrown as it was.
 */
final class Transfers {
    private final int parallelism;

    Transfers(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parallelism = parallelism;
    }

    <T> void run(Collection<T> items, Consumer<T> work) {
        if (items.isEmpty()) {
            return;
        }
        if (items.size() == 1 || parallelism == 1) {
            items.forEach(work);
            return;
        }
        int threads = Math.min(parallelism, items.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("transfer-", 1).factory())) {
            // taken as they finish, not in order: a failure must stop the others at once
            CompletionService<Void> finished = new ExecutorCompletionService<>(pool);
            List<Future<Void>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(finished.submit(() -> {
                    work.accept(item);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    finished.take().get();
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(other -> other.cancel(true));
                    throw new HubException(HubException.Problem.UNAVAILABLE, "interrupted");
                }
            }
        }
    }
}

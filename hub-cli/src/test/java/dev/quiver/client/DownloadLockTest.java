package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadLockTest {
    @TempDir
    Path dir;

    @Test
    void threadsTakeTheLockOneAtATimeAndEachWaiterIsToldOnce() throws Exception {
        Path file = dir.resolve(".locks/models--acme--lora/" + "a".repeat(64) + ".lock");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger told = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 50; round++) {
                    AtomicInteger toldNow = new AtomicInteger();
                    try (DownloadLock lock = DownloadLock.acquire(file, toldNow::incrementAndGet)) {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                    }
                    assertThat(toldNow.get()).isLessThanOrEqualTo(1);
                    told.addAndGet(toldNow.get());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(mostInside.get()).isEqualTo(1);
        assertThat(told.get()).isPositive(); // six threads on one lock: some of them waited
        assertThat(file).exists();
    }

    @Test
    void anotherProcessHoldingTheLockMakesThisOneWaitUntilItLetsGo() throws Exception {
        Path file = dir.resolve("blobs.lock");
        Process holder = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                Holder.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");

            CountDownLatch told = new CountDownLatch(1);
            CompletableFuture<Void> got = new CompletableFuture<>();
            Thread waiter = waiter(file, told, got);
            assertThat(told.await(10, TimeUnit.SECONDS)).as("told to wait").isTrue();
            assertThatThrownBy(() -> got.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

            holder.getOutputStream().close(); // the holder lets go and exits
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            got.get(10, TimeUnit.SECONDS);
            waiter.join();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aWaitThatIsInterruptedEndsWithAClearErrorAndLeavesTheLockUsable() throws Exception {
        Path file = dir.resolve("x.lock");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try (DownloadLock lock = DownloadLock.acquire(file, () -> { })) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch told = new CountDownLatch(1);
        CompletableFuture<Void> got = new CompletableFuture<>();
        Thread waiter = waiter(file, told, got);
        assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.interrupt();
        assertThatThrownBy(() -> got.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UncheckedIOException.class).hasRootCauseInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("waiting for");

        release.countDown();
        holder.join();
        try (DownloadLock again = DownloadLock.acquire(file, () -> {
            throw new AssertionError("nobody holds it");
        })) {
            assertThat(again).isNotNull();
        }
    }

    /** A thread that takes the lock and lets it go, then completes {@code got} (or fails it with what went wrong). */
    private static Thread waiter(Path file, CountDownLatch told, CompletableFuture<Void> got) {
        return Thread.ofPlatform().start(() -> {
            try (DownloadLock lock = DownloadLock.acquire(file, told::countDown)) {
                assertThat(lock).isNotNull();
            } catch (Throwable t) {
                got.completeExceptionally(t);
                return;
            }
            got.complete(null);
        });
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    /** A second process: takes the lock, says so, and holds it until its standard input closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (DownloadLock lock = DownloadLock.acquire(Path.of(args[0]), () -> {
                throw new IllegalStateException("the lock should be free");
            })) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the test to close our input
                }
            }
        }
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransfersTest {
    @Test
    void everyItemRunsOnceAndNoMoreThanTheParallelismAtATime() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        new Transfers(3).run(IntStream.range(0, 20).boxed().toList(), i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            running.decrementAndGet();
            assertThat(done.add(i)).isTrue();
        });
        assertThat(done).hasSize(20);
        assertThat(most.get()).isBetween(2, 3);
    }

    /** Over https the transfers block in the TLS handshake (the hub never answers the ClientHello), a read of the SSL socket. */
    @ParameterizedTest
    @ValueSource(strings = {"http", "https"})
    void aFailureStopsTransfersBlockedReadingASilentHubAndIsRethrownAsItWas(String scheme) throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never answer
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            URI hub = URI.create(scheme + "://127.0.0.1:" + silent.getLocalPort() + "/");
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() ->
                    new Transfers(3).run(List.of("read", "read", "fail"), what -> {
                        if (what.equals("fail")) {
                            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                            throw new IllegalStateException("the third transfer failed");
                        }
                        try (Socket s = Http11.connect(hub, TlsTrust.JDK)) {
                            s.getInputStream().read(); // blocks: the hub never answers (read timeout 5 min)
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })).isInstanceOf(IllegalStateException.class).hasMessage("the third transfer failed"));
        }
    }
}

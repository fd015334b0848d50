package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DigestPipeTest {
    private static final int BUFFER = 4096;

    @Test
    void manyBuffersHashedInTheBackgroundGiveTheDigestOfTheWholeContent() throws Exception {
        byte[] content = random(BUFFER * DigestPipe.RING * 3 + 123); // more buffers than the ring holds
        MessageDigest digest = sha256();
        try (DigestPipe pipe = new DigestPipe(digest, content.length, BUFFER)) {
            for (int off = 0; off < content.length; ) {
                ByteBuffer buffer = pipe.buffer();
                assertThat(buffer.isDirect()).isTrue();
                int n = Math.min(buffer.remaining(), content.length - off);
                buffer.put(content, off, n).flip();
                pipe.submit();
                off += n;
            }
        }
        assertThat(hex(digest)).isEqualTo(hex(sha256(content)));
    }

    @Test
    void finishWaitsForEverySubmittedBufferAndLeavesThePipeUsable() throws Exception {
        byte[] content = random(BUFFER * 5);
        MessageDigest digest = sha256();
        try (DigestPipe pipe = new DigestPipe(digest, content.length, BUFFER)) {
            for (int i = 0; i < 3; i++) {
                pipe.buffer().put(content, i * BUFFER, BUFFER).flip();
                pipe.submit();
            }
            pipe.buffer(); // taken and not submitted: finish must not wait for it
            pipe.finish();
            MessageDigest prefix = (MessageDigest) digest.clone();
            assertThat(hex(prefix)).isEqualTo(hex(sha256(java.util.Arrays.copyOf(content, 3 * BUFFER))));
            for (int i = 3; i < 5; i++) {
                pipe.buffer().put(content, i * BUFFER, BUFFER).flip();
                pipe.submit();
            }
        }
        assertThat(hex(digest)).isEqualTo(hex(sha256(content)));
    }

    @Test
    void finishWaitsForABufferThatIsStillBeingHashed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MessageDigest digest = new HeldDigest(release);
        try (DigestPipe pipe = new DigestPipe(digest, BUFFER * 4L, BUFFER)) {
            pipe.buffer().put(new byte[BUFFER]).flip();
            pipe.submit();
            CompletableFuture<Void> finished = CompletableFuture.runAsync(() -> {
                try {
                    pipe.finish();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThatThrownBy(() -> finished.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            release.countDown();
            finished.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLaggingHasherHoldsTheCallerAfterAFullRingAndNotBefore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MessageDigest digest = new HeldDigest(release);
        long size = (long) BUFFER * DigestPipe.RING * 2;
        try (DigestPipe pipe = new DigestPipe(digest, size, BUFFER)) {
            AtomicInteger submitted = new AtomicInteger();
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < DigestPipe.RING * 2; i++) {
                        pipe.buffer().put(new byte[BUFFER]).flip();
                        pipe.submit();
                        submitted.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThatThrownBy(() -> producer.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(submitted.get()).isEqualTo(DigestPipe.RING);
            release.countDown();
            producer.get(10, TimeUnit.SECONDS);
            assertThat(submitted.get()).isEqualTo(DigestPipe.RING * 2);
        }
    }

    @Test
    void contentThatFitsOneBufferIsHashedOnTheCallersThread() throws Exception {
        byte[] content = random(100);
        MessageDigest digest = sha256();
        try (DigestPipe pipe = new DigestPipe(digest, content.length, BUFFER)) {
            ByteBuffer buffer = pipe.buffer();
            assertThat(buffer.capacity()).isEqualTo(100);
            buffer.put(content).flip();
            pipe.submit();
            assertThat(hex((MessageDigest) digest.clone())).isEqualTo(hex(sha256(content)));
        }
    }

    @Test
    void aHashingFailureReachesTheCallerInsteadOfHangingIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            MessageDigest failing = new MessageDigest("failing") {
                @Override
                protected void engineUpdate(byte input) {
                    throw new IllegalStateException("digest broke");
                }

                @Override
                protected void engineUpdate(byte[] input, int offset, int len) {
                    throw new IllegalStateException("digest broke");
                }

                @Override
                protected byte[] engineDigest() {
                    return new byte[0];
                }

                @Override
                protected void engineReset() {
                }
            };
            DigestPipe pipe = new DigestPipe(failing, (long) BUFFER * DigestPipe.RING * 4, BUFFER);
            assertThatThrownBy(() -> {
                for (int i = 0; i < DigestPipe.RING * 4; i++) {
                    pipe.buffer().put(new byte[BUFFER]).flip();
                    pipe.submit();
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("hashing the download failed")
                    .hasRootCauseMessage("digest broke");
            assertThatThrownBy(pipe::close).isInstanceOf(IllegalStateException.class);
        });
    }

    /** A sha256 whose updates wait until {@code release} is counted down. */
    private static final class HeldDigest extends MessageDigest {
        private final CountDownLatch release;
        private final MessageDigest sha256;

        HeldDigest(CountDownLatch release) throws NoSuchAlgorithmException {
            super("held");
            this.release = release;
            this.sha256 = sha256();
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            sha256.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return sha256.digest();
        }

        @Override
        protected void engineReset() {
            sha256.reset();
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    private static MessageDigest sha256(byte[] content) throws NoSuchAlgorithmException {
        MessageDigest d = sha256();
        d.update(content);
        return d;
    }

    private static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }
}

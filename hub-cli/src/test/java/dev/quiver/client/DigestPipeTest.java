package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
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

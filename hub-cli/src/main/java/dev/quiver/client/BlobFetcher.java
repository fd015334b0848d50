package dev.quiver.client;

import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one blob into a {@code .incomplete} file, resuming with {@code Range} from whatever a
 * previous, interrupted attempt left there, checks the size and the content hash the hub named it by
 * (sha256 for LFS, git sha1 otherwise), and only then moves it into place atomically. A file that
 * does not match is deleted, never kept.
 */
final class BlobFetcher {
    /** Bytes per socket read into the ring and per digest update. */
    private static final int BUFFER = 256 << 10;
    /**
     * Bytes per file write. Not more: the page cache backs a write with folios as large as the
     * write, taken from high-order free blocks, which a VM with free page reporting has handed back
     * to its host, so every page faults on the host when first touched. A 1 GiB download on such a
     * VM (medians of 6-8 rotated runs, the previous copy deleted right before / 5 s before): writes
     * of 256 KiB 2.18 / 2.67 s, 64 KiB 1.52 / 2.27 s, 32 KiB 1.36 / 1.37 s, 16 KiB (curl's)
     * 1.43-1.47 / 1.41-1.61 s (more system calls). On another day 256 KiB had been the best size:
     * the state of the VM's free memory decides, and 32 KiB did well in every state measured.
     */
    private static final int WRITE = 32 << 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HubHttp http;
    private final Retry retry;
    private final TransferListener listener;

    BlobFetcher(HubHttp http, Retry retry, TransferListener listener) {
        this.http = http;
        this.retry = retry;
        this.listener = listener;
    }

    /** What to fetch: where from, what it is called (for progress and errors), and what it must be. */
    record Blob(URI url, Subject subject, String displayPath, String etag, long size) {
    }

    void fetch(Blob blob, Path incomplete, Path target) {
        listener.started(blob.displayPath(), blob.size());
        try {
            Files.createDirectories(incomplete.getParent());
            State state = State.resume(blob, incomplete);
            listener.progressed(blob.displayPath(), state.have);
            int attempt = 1;
            while (state.have < blob.size() || !Files.exists(incomplete)) {
                try {
                    transfer(blob, incomplete, state);
                } catch (IOException e) {
                    if (attempt >= retry.attempts()) {
                        throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "download of "
                                + blob.displayPath() + " kept failing (" + HubHttp.describe(e)
                                + "); run the same command again to resume it", e);
                    }
                    // the pause first: a transfer cancelled by an interrupt ends there, before
                    // hashing again what it had written (up to the whole partial file)
                    Retry.sleep(retry.delay(attempt++, Optional.empty()));
                    long before = state.have;
                    state = State.resume(blob, incomplete);
                    listener.progressed(blob.displayPath(), state.have - before);
                }
            }
            verify(blob, incomplete, state.digest);
            Files.move(incomplete, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            listener.finished(blob.displayPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + incomplete, e);
        }
    }

    /** The bytes on disk so far and the digest of exactly those bytes. */
    private static final class State {
        MessageDigest digest;
        long have;

        private State(MessageDigest digest, long have) {
            this.digest = digest;
            this.have = have;
        }

        /** Picks up what {@code incomplete} holds (hashing it again), or nothing if it cannot be a prefix. */
        static State resume(Blob blob, Path incomplete) throws IOException {
            MessageDigest digest = Hashing.forEtag(blob.etag(), blob.size());
            if (!Files.exists(incomplete)) {
                return new State(digest, 0);
            }
            long have = Files.size(incomplete);
            if (have > blob.size()) {
                Files.delete(incomplete);
                return new State(digest, 0);
            }
            Hashing.feed(digest, incomplete);
            return new State(digest, have);
        }

        void restart(Blob blob) {
            digest = Hashing.forEtag(blob.etag(), blob.size());
            have = 0;
        }
    }

    /** One GET from {@code state.have} to the end (or until the connection fails); redirects are followed. */
    private void transfer(Blob blob, Path incomplete, State state) throws IOException {
        HttpRequest.Builder request = http.get(blob.url()).timeout(Duration.ofMinutes(10))
                .header("Accept-Encoding", "identity");
        if (state.have > 0) {
            request.header("Range", "bytes=" + state.have + "-");
        }
        HttpResponse<InputStream> response = http.send(request.build(), Options.READ);
        try (InputStream body = response.body()) {
            receive(blob, incomplete, state, response.statusCode(), response.headers(), body);
        }
    }

    private void receive(Blob blob, Path incomplete, State state, int status, HttpHeaders headers, InputStream in)
            throws IOException {
        // a transient status here has already been retried by HubHttp: retrying it again would multiply the waits
        boolean append = false;
        if (status == 206 && state.have > 0) {
            long start = rangeStart(headers.firstValue("Content-Range").orElse(""));
            if (start != state.have) {
                throw new HubException(Problem.OTHER, "the hub answered a resume of " + blob.displayPath()
                        + " from byte " + state.have + " with bytes from " + start);
            }
            append = true;
        } else if (status == 416 && state.have > 0) {
            // what is on disk no longer fits what the hub serves: start over
            Files.delete(incomplete);
            listener.progressed(blob.displayPath(), -state.have);
            state.restart(blob);
            return;
        } else if (status != 200) {
            throw http.failure(status, headers, in.readNBytes(1 << 20), blob.subject());
        }
        if (!append && state.have > 0) {
            // a 200 to a Range request is the whole file again (huggingface_hub restarts too)
            listener.progressed(blob.displayPath(), -state.have);
            state.restart(blob);
        }
        try (FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                DigestPipe hashing = new DigestPipe(state.digest, blob.size() - state.have, BUFFER)) {
            for (ByteBuffer buffer = hashing.buffer(); fill(in, buffer) > 0; buffer = hashing.buffer()) {
                int n = buffer.flip().remaining();
                // hashed while it is written (both only read it): the digest thread starts on these
                // bytes a file write sooner, so the two cores sit idle less often. Should the write
                // fail, the retry hashes what the file holds again (State.resume).
                ByteBuffer bytes = buffer.duplicate();
                hashing.submit();
                write(out, bytes);
                state.have += n;
                listener.progressed(blob.displayPath(), n);
                if (state.have > blob.size()) {
                    return;
                }
            }
        }
        if (state.have < blob.size()) {
            throw new IOException("the connection closed at byte " + state.have + " of " + blob.size());
        }
    }

    /** Writes all of {@code bytes}, {@link #WRITE} bytes at a time. */
    private static void write(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            ByteBuffer piece = bytes.slice(bytes.position(), Math.min(WRITE, bytes.remaining()));
            while (piece.hasRemaining()) {
                out.write(piece);
            }
            bytes.position(bytes.position() + piece.position());
        }
    }

    /** Reads until {@code buffer} is full or the body ends; returns the bytes read. */
    private static int fill(InputStream body, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining() && PooledHttp.read(body, buffer) >= 0) {
            // keep reading: a socket read returns what has arrived, and large writes cost less per byte
        }
        return buffer.position();
    }

    private static long rangeStart(String contentRange) {
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            throw new HubException(Problem.OTHER, "the hub sent 206 without a valid Content-Range ('" + contentRange + "')");
        }
        return Long.parseLong(m.group(1));
    }

    private static void verify(Blob blob, Path file, MessageDigest digest) throws IOException {
        long size = Files.size(file);
        if (size != blob.size()) {
            Files.deleteIfExists(file);
            throw new HubException(Problem.INTEGRITY, blob.displayPath() + ": expected " + blob.size()
                    + " bytes, got " + size + "; the partial file was removed, run the command again");
        }
        String actual = Hashing.hex(digest);
        if (!actual.equals(blob.etag())) {
            Files.deleteIfExists(file);
            throw new HubException(Problem.INTEGRITY, blob.displayPath() + ": content hash " + actual
                    + " does not match " + blob.etag() + "; the file was removed, run the command again");
        }
    }
}

package dev.quiver.server.api;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.card.RepoEntry;
import dev.quiver.server.lfs.BlobStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;

/**
 * Writes a file's bytes with the headers HF clients read ({@code ETag}, {@code Content-Length},
 * {@code Accept-Ranges}, {@code Content-Range}) and one optional byte range. LFS objects stream
 * from the blob store's file through a {@link FileChannel} in fixed-size chunks, so memory stays
 * constant whatever the file's size.
 *
 * <p>Why not {@code sendfile}: Helidon SE 4 serves HTTP/1 over a blocking {@code java.net.Socket}
 * from a {@code ServerSocket}, which has no {@code SocketChannel}, so {@code FileChannel.transferTo}
 * cannot reach the kernel's zero-copy path (its own static-content handler copies through the
 * response stream too). The closest route is large reads into one reused buffer written straight
 * to the response stream, which for writes past its buffer size goes to the socket without a copy.
 */
final class FileSender {
    /** Bytes per read and write; large writes go to the socket without passing through Helidon's buffer. */
    private static final int CHUNK = 1 << 20;
    /** Bodies up to this size are sent in one piece with their headers. */
    private static final int SMALL = 64 << 10;

    /** Up to 16 MiB of small blobs, keyed by their git id, so never stale. */
    private final ContentCache<String, byte[]> smallBlobs = new ContentCache<>(16 << 20, b -> b.length + 64L);
    private final BlobStore blobs;

    FileSender(BlobStore blobs) {
        this.blobs = blobs;
    }

    void sendGitBlob(Call call, Repository git, RepoEntry entry) {
        call.header("ETag", quoted(entry.oid()));
        try {
            if (entry.blobSize() <= SMALL) {
                byte[] content = smallBlob(git, entry.oid());
                send(call, entry.path(), content.length, (out, first, length) -> out.write(content, (int) first,
                        (int) length));
                return;
            }
            ObjectLoader loader = git.open(ObjectId.fromString(entry.oid()), Constants.OBJ_BLOB);
            send(call, entry.path(), loader.getSize(), (out, first, length) -> {
                try (InputStream in = loader.openStream()) {
                    in.skipNBytes(first);
                    copy(in, out, length);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small git blob's bytes, cached by id: most requests per second are for small config files. */
    private byte[] smallBlob(Repository git, String blobId) throws IOException {
        Optional<byte[]> cached = smallBlobs.get(blobId);
        if (cached.isPresent()) {
            return cached.get();
        }
        byte[] content = git.open(ObjectId.fromString(blobId), Constants.OBJ_BLOB).getCachedBytes(SMALL);
        smallBlobs.put(blobId, content);
        return content;
    }

    void sendLfs(Call call, RepoEntry entry) {
        LfsPointer pointer = entry.lfs().orElseThrow();
        String etag = quoted(pointer.oid());
        call.header("ETag", etag);
        call.header("X-Linked-Etag", etag);
        call.header("X-Linked-Size", Long.toString(pointer.size()));
        Optional<Long> stored = blobs.size(pointer.oid());
        if (stored.isEmpty() || stored.get() != pointer.size()) {
            throw new QuiverException(Reason.UNAVAILABLE, "the content of " + entry.path()
                    + " is missing from this hub's storage; ask an administrator to restore LFS object " + pointer.oid());
        }
        Optional<Path> file = blobs.file(pointer.oid());
        try {
            send(call, entry.path(), pointer.size(), (out, first, length) -> {
                if (file.isPresent()) {
                    copy(file.get(), out, first, length);
                } else {
                    try (InputStream in = blobs.open(pointer.oid(), first)) {
                        copy(in, out, length);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(OutputStream out, long first, long length) throws IOException;
    }

    private static void send(Call call, String path, long size, Body body) throws IOException {
        var res = call.response();
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        res.header(HeaderNames.CONTENT_TYPE, contentType(path));
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.CONTENT_DISPOSITION, disposition(path));
        Optional<String> rangeHeader = call.header(HeaderNames.RANGE);
        long first = 0;
        long length = size;
        switch (ByteRange.parse(rangeHeader, size)) {
            case ByteRange.Whole w -> {
                if (rangeHeader.isPresent() && size == 0) {
                    // the JS client reads the size from Content-Range even for an empty file
                    res.header(HeaderNames.CONTENT_RANGE, "bytes */0");
                }
                res.status(Status.OK_200);
            }
            case ByteRange.Part p -> {
                first = p.range().first();
                length = p.range().length();
                res.status(Status.PARTIAL_CONTENT_206);
                res.header(HeaderNames.CONTENT_RANGE, p.range().contentRange(size));
            }
            case ByteRange.Unsatisfiable u -> {
                if (size == 0) {
                    res.status(Status.OK_200);
                    res.header(HeaderNames.CONTENT_RANGE, "bytes */0");
                    res.header(HeaderNames.CONTENT_LENGTH, "0");
                    res.send();
                    return;
                }
                res.header(HeaderNames.CONTENT_RANGE, "bytes */" + size);
                throw new QuiverException(Reason.RANGE_NOT_SATISFIABLE, "Range " + rangeHeader.orElse("")
                        + " is outside the file's " + size + " bytes");
            }
        }
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
        if (call.isHead() || length == 0) {
            res.send();
            return;
        }
        if (length <= SMALL) {
            // one write for headers and body: small files are the requests-per-second case
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) length);
            body.write(bytes, first, length);
            res.send(bytes.toByteArray());
            return;
        }
        try (OutputStream out = res.outputStream()) {
            body.write(out, first, length);
        }
    }

    private static void copy(Path file, OutputStream out, long first, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, length)];
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            long position = first;
            long remaining = length;
            while (remaining > 0) {
                buf.clear().limit((int) Math.min(chunk.length, remaining));
                int n = ch.read(buf, position);
                if (n < 0) {
                    throw new IOException("LFS object ended " + remaining + " bytes early");
                }
                out.write(chunk, 0, n);
                position += n;
                remaining -= n;
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        long remaining = length;
        while (remaining > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, remaining));
            if (n < 0) {
                throw new IOException("content ended " + remaining + " bytes early");
            }
            out.write(chunk, 0, n);
            remaining -= n;
        }
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    /**
     * Text files are served as plain text and everything else as bytes: repository content is
     * untrusted, so nothing is ever served as HTML or script on the hub's origin.
     */
    private static String contentType(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return "application/json";
        }
        for (String ext : new String[] {".md", ".txt", ".yaml", ".yml", ".jsonl", ".csv", ".py", ".gitattributes"}) {
            if (name.endsWith(ext)) {
                return "text/plain; charset=utf-8";
            }
        }
        return "application/octet-stream";
    }

    private static String disposition(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String ascii = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return "inline; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                + "; filename=\"" + ascii + "\"";
    }
}

package dev.quiver.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 on the wire, blocking and small: connect (plain, or TLS with host name verification),
 * write a request head, and read a reply whose body is framed by {@code Content-Length} or chunked
 * coding. {@link PooledHttp} keeps these connections alive between requests; {@link #put} sends a
 * large upload with {@code sendfile} on a connection of its own. Far less CPU per byte and per
 * request than {@link java.net.http.HttpClient}, which is what keeps the CLI close to curl.
 *
 * <p>The response head is parsed defensively: at most {@value #MAX_HEAD} bytes, a well-formed status
 * line, and a body framed by one valid {@code Content-Length} or by chunked encoding.
 */
final class Http11 {
    static final int MAX_HEAD = 64 * 1024;
    // compiled once: String.matches compiles its pattern on every call, and every reply is checked
    private static final Pattern HEAD_LINE = Pattern.compile("\r\n");
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5]\\d\\d");
    private static final Pattern LENGTH = Pattern.compile("\\d{1,18}");
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9a-fA-F]{1,15}");
    private static final int CONNECT_TIMEOUT_MS = 15_000;
    static final int READ_TIMEOUT_MS = 5 * 60_000;
    private static final long SEND_CHUNK = 8L << 20;

    private Http11() {
    }

    /** A response whose body is framed (never reads past the end of this response); close it to close the connection. */
    static final class Response implements AutoCloseable {
        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;
        private final AutoCloseable connection;
        private final boolean closeDelimited;

        Response(int status, Map<String, List<String>> headers, InputStream body, AutoCloseable connection,
                boolean closeDelimited) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.connection = connection;
            this.closeDelimited = closeDelimited;
        }

        /**
         * Whether the connection may carry another request: the body was read to its end and neither
         * side asked to close.
         */
        boolean reusable() {
            boolean ended = !closeDelimited && (!(body instanceof Framed f) || f.ended());
            return ended && header("Connection").map(v -> !v.toLowerCase(Locale.ROOT).contains("close")).orElse(true);
        }

        int status() {
            return status;
        }

        java.util.Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v.get(0));
        }

        HttpHeaders headers() {
            return HttpHeaders.of(headers, (a, b) -> true);
        }

        InputStream body() {
            return body;
        }

        /** The body of an error reply, at most 1 MiB. */
        byte[] smallBody() throws IOException {
            return body.readNBytes(1 << 20);
        }

        @Override
        public void close() throws IOException {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /** PUT of {@code length} bytes of {@code file} from {@code offset}; reports bytes sent to {@code progress}. */
    static Response put(URI uri, Map<String, String> headers, Path file, long offset, long length, LongConsumer progress,
            TlsTrust tls) throws IOException {
        Socket socket = connect(uri, tls);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            OutputStream out = socket.getOutputStream();
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.putIfAbsent("Content-Type", "application/octet-stream");
            out.write(head("PUT", uri, h, length, false));
            out.flush();
            SocketChannel channel = socket.getChannel(); // none for TLS
            byte[] buf = new byte[1 << 20];
            ByteBuffer wrap = ByteBuffer.wrap(buf);
            long sent = 0;
            while (sent < length) {
                // plain socket: the kernel copies file to socket (sendfile), no bytes pass through Java
                long n = channel == null ? 0
                        : in.transferTo(offset + sent, Math.min(SEND_CHUNK, length - sent), channel);
                if (n == 0) {
                    // TLS, or a full socket buffer: on a virtual thread the socket is non-blocking and
                    // transferTo returns at once (looping on it spins both cores); a stream write parks
                    // until there is room
                    wrap.clear().limit((int) Math.min(buf.length, length - sent));
                    n = in.read(wrap, offset + sent);
                    if (n <= 0) {
                        throw new IOException("the file ended before " + length + " bytes were sent");
                    }
                    out.write(buf, 0, (int) n);
                }
                sent += n;
                progress.accept(n);
            }
            out.flush();
            return readResponse(socket, new Input(socket), false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A connected socket, plain or TLS. Both ride on a {@link SocketChannel}'s socket: an interrupt
     * then closes it and ends a blocked read, so a cancelled transfer on a platform thread stops at
     * once instead of reading on until its file is complete.
     */
    static Socket connect(URI uri, TlsTrust tls) throws IOException {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme " + scheme);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        SocketChannel channel = SocketChannel.open();
        Socket raw = channel.socket();
        try {
            raw.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
            raw.setSoTimeout(READ_TIMEOUT_MS);
            raw.setTcpNoDelay(true);
            if (scheme.equals("http")) {
                return raw;
            }
            SSLSocket secure = (SSLSocket) tls.socketFactory().createSocket(raw, uri.getHost(), port, true);
            SSLParameters params = secure.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(params);
            secure.startHandshake();
            return secure;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The request line and headers; {@code contentLength} -1 for a request without a body. */
    static byte[] head(String method, URI uri, Map<String, String> headers, long contentLength, boolean keepAlive) {
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder b = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(uri.getHost()).append(uri.getPort() >= 0 ? ":" + uri.getPort() : "").append("\r\n");
        headers.forEach((name, value) -> {
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " contains a line break");
            }
            b.append(name).append(": ").append(value).append("\r\n");
        });
        if (contentLength >= 0) {
            b.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        b.append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads a status line and headers, and frames the body; {@code headOnly} for replies that have none. */
    static Response readResponse(Socket socket, InputStream in, boolean headOnly) throws IOException {
        String head = readHead(in);
        String[] lines = HEAD_LINE.split(head, -1);
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !STATUS_CODE.matcher(status[1]).matches()) {
            throw new IOException("not an HTTP/1.x reply: '" + printable(lines[0]) + "'");
        }
        int code = Integer.parseInt(status[1]);
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line in the reply: '" + printable(lines[i]) + "'");
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).strip());
        }
        Map<String, List<String>> frozen = new TreeMap<>();
        headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        InputStream body;
        boolean closeDelimited = false;
        if (headOnly || code == 204 || code == 304 || code / 100 == 1) {
            body = InputStream.nullInputStream();
        } else if (frozen.getOrDefault("transfer-encoding", List.of()).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = new Chunked(in);
        } else if (frozen.containsKey("content-length")) {
            List<String> lengths = frozen.get("content-length");
            if (lengths.stream().distinct().count() != 1 || !LENGTH.matcher(lengths.get(0)).matches()) {
                throw new IOException("invalid Content-Length in the reply: " + lengths);
            }
            body = new Bounded(in, Long.parseLong(lengths.get(0)));
        } else {
            body = in; // framed by the end of the connection
            closeDelimited = true;
        }
        return new Response(code, frozen, body, socket, closeDelimited);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the reply's headers ended");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("the reply's headers exceed " + MAX_HEAD + " bytes");
            }
            last = (last << 8) | b;
        }
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * A connection's input: buffered, for reading reply heads, and on a plain connection also its
     * socket channel, from which a large body is read straight into a direct buffer (a stream read
     * copies every byte once more, from the socket's direct buffer into the heap, and a file write
     * copies it back). Channel reads ignore {@code SO_TIMEOUT}, so they run non-blocking and wait on
     * a selector for at most that long.
     */
    static final class Input extends BufferedInputStream {
        private final SocketChannel channel; // null for TLS
        private Selector selector;

        Input(Socket socket) throws IOException {
            super(socket.getInputStream(), 1 << 16);
            this.channel = socket.getChannel();
        }

        /** Whether {@code dst} can be filled from the channel: a direct buffer on a plain connection. */
        boolean readsDirect(ByteBuffer dst) {
            return channel != null && dst.isDirect();
        }

        /**
         * Reads at most {@code max} bytes into {@code dst}: what the buffer still holds (the read of
         * the head took some of the body), then from the channel; -1 at the end of the stream.
         */
        int readDirect(ByteBuffer dst, int max) throws IOException {
            if (count > pos) {
                int n = Math.min(count - pos, max);
                dst.put(buf, pos, n);
                pos += n;
                return n;
            }
            if (selector == null) {
                selector = Selector.open();
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            int limit = dst.limit();
            dst.limit(dst.position() + max);
            try {
                int timeout = channel.socket().getSoTimeout(); // 0: no limit, as for a stream read
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                int n;
                while ((n = channel.read(dst)) == 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("interrupted while reading the body");
                    }
                    if (timeout > 0 && System.nanoTime() - deadline >= 0) {
                        throw new SocketTimeoutException("no data from the hub for " + timeout / 1000 + " s");
                    }
                    selector.select(timeout);
                    selector.selectedKeys().clear();
                }
                return n;
            } finally {
                dst.limit(limit);
            }
        }

        /** Back to blocking stream reads (the next reply's head), once a body read from the channel has ended. */
        void endDirect() throws IOException {
            if (selector != null) {
                selector.close(); // deregisters the channel, which may then block again
                selector = null;
                channel.configureBlocking(true);
            }
        }

        @Override
        public void close() throws IOException {
            try (Selector s = selector) {
                super.close();
            }
        }
    }

    /**
     * One read of a stream into {@code dst}; a direct {@code dst} is filled through {@code scratch}
     * (a TLS connection, whose bytes pass through the heap anyway).
     */
    static int read(InputStream in, ByteBuffer dst, byte[] scratch) throws IOException {
        int n = dst.hasArray() ? in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining())
                : in.read(scratch, 0, Math.min(dst.remaining(), scratch.length));
        if (n > 0) {
            if (dst.hasArray()) {
                dst.position(dst.position() + n);
            } else {
                dst.put(scratch, 0, n);
            }
        }
        return n;
    }

    /** A body that knows where it ends. */
    abstract static class Framed extends InputStream {
        /** Whether every byte of the body has been read. */
        abstract boolean ended();

        private byte[] scratch; // for a direct buffer read from a stream: one per body, not one per read

        /** Reads into {@code dst} what {@link #read(byte[], int, int)} would return. */
        int read(ByteBuffer dst) throws IOException {
            if (scratch == null && !dst.hasArray()) {
                scratch = new byte[1 << 16];
            }
            return Http11.read(this, dst, scratch);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body of exactly {@code length} bytes; fewer is an error, never silently a short file. */
    static final class Bounded extends Framed {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed with " + left + " bytes of the body still to come");
            }
            left -= n;
            return n;
        }

        @Override
        int read(ByteBuffer dst) throws IOException {
            if (left <= 0 || !(in instanceof Input input) || !input.readsDirect(dst)) {
                return left <= 0 ? -1 : super.read(dst);
            }
            int n = input.readDirect(dst, (int) Math.min(dst.remaining(), left));
            if (n < 0) {
                throw new IOException("the connection closed with " + left + " bytes of the body still to come");
            }
            left -= n;
            if (left == 0) {
                input.endDirect();
            }
            return n;
        }

        @Override
        boolean ended() {
            return left == 0;
        }
    }

    /** Chunked transfer coding (RFC 9112 section 7.1), with chunk sizes checked. */
    static final class Chunked extends Framed {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                left = nextChunkSize();
                if (left == 0) {
                    skipTrailers(); // the connection must be left at the start of the next reply
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                expect('\r');
                expect('\n');
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            String size = line().strip();
            int semicolon = size.indexOf(';');
            if (semicolon >= 0) {
                size = size.substring(0, semicolon).strip();
            }
            if (!CHUNK_SIZE.matcher(size).matches()) {
                throw new IOException("malformed chunk size '" + printable(size) + "' in the reply");
            }
            return Long.parseLong(size, 16);
        }

        @Override
        boolean ended() {
            return done;
        }

        private void skipTrailers() throws IOException {
            for (int fields = 0; !line().isEmpty(); fields++) {
                if (fields > 100) {
                    throw new IOException("too many trailer fields in the reply");
                }
            }
        }

        /** One line without its CRLF, at most 1 KiB. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0 || line.length() > 1024) {
                    throw new IOException("malformed chunk line in the reply");
                }
                line.append((char) c);
            }
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }

        private void expect(char c) throws IOException {
            if (in.read() != c) {
                throw new IOException("malformed chunk end in the reply");
            }
        }
    }
}

package dev.quiver.client;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * The CLI's HTTP client: each request is one blocking HTTP/1.1 exchange ({@link Http11}) on a
 * connection kept alive for the next request to the same origin. Requests are described with the
 * JDK's {@link HttpRequest} and answered as {@link HttpResponse}s, but none of
 * {@link java.net.http.HttpClient}'s machinery runs: starting it (a selector thread, the default TLS
 * context, a reactive pipeline per body) cost a CLI command about half a second and most of the
 * JIT's work on a snapshot of small files.
 *
 * <p>A request that is not safe to repeat always goes on a new connection: a kept connection may
 * have been closed by the server while it sat idle, and only a request that may be repeated is
 * sent again on a fresh one when that happens.
 */
final class PooledHttp {
    private static final int MAX_IDLE_PER_ORIGIN = 16;
    private static final Duration BODY_WAIT = Duration.ofMinutes(1);

    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final TlsTrust tls;

    PooledHttp(TlsTrust tls) {
        this.tls = tls;
    }

    /**
     * Sends the request and returns the reply once its head has arrived; the body stream must be
     * closed, which hands the connection back when the body was read to its end. Waits at most the
     * request's timeout for the head (5 minutes if it has none) and 5 minutes for each read of the
     * body, except for an event stream, which may rest for as long as what it reports.
     */
    HttpResponse<InputStream> send(HttpRequest request, boolean repeatable) throws IOException {
        URI uri = request.uri();
        String origin = origin(uri);
        byte[] body = bodyOf(request);
        boolean bodiless = body.length == 0 && (request.method().equals("GET") || request.method().equals("HEAD"));
        byte[] head = Http11.head(request.method(), uri, headersOf(request), bodiless ? -1 : body.length, true);
        int headTimeout = request.timeout().map(d -> (int) Math.min(Integer.MAX_VALUE, d.toMillis()))
                .orElse(Http11.READ_TIMEOUT_MS);
        while (true) {
            Deque<Connection> pool = repeatable ? idle.get(origin) : null;
            Connection kept = pool == null ? null : pool.pollFirst();
            Connection c = kept != null ? kept : Connection.open(uri, tls);
            try {
                c.socket.setSoTimeout(headTimeout);
                c.out.write(head);
                c.out.write(body);
                c.out.flush();
                Http11.Response reply = Http11.readResponse(c.socket, c.in, request.method().equals("HEAD"));
                boolean eventStream = reply.header("Content-Type")
                        .filter(t -> t.toLowerCase(Locale.ROOT).startsWith("text/event-stream")).isPresent();
                c.socket.setSoTimeout(eventStream ? 0 : Http11.READ_TIMEOUT_MS);
                return new Reply(reply.status(), request, reply.headers(), new Body(reply, c, origin));
            } catch (IOException | RuntimeException e) {
                c.close();
                if (kept == null) {
                    throw e;
                }
                // the server closed the kept connection while it was idle: the request goes on a new one
            }
        }
    }

    /** One read of a reply body into {@code dst}: straight from the socket where the body and connection allow. */
    static int read(InputStream body, ByteBuffer dst) throws IOException {
        InputStream framed = body instanceof Body b ? b.reply.body() : body;
        return framed instanceof Http11.Framed f ? f.read(dst) : Http11.read(body, dst, dst.hasArray() ? null : new byte[1 << 16]);
    }

    private void giveBack(String origin, Connection c) {
        Deque<Connection> pool = idle.computeIfAbsent(origin, k -> new ConcurrentLinkedDeque<>());
        if (pool.size() < MAX_IDLE_PER_ORIGIN) {
            pool.addFirst(c);
        } else {
            c.close();
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":"
                + uri.getPort();
    }

    private static Map<String, String> headersOf(HttpRequest request) {
        Map<String, String> h = new LinkedHashMap<>();
        request.headers().map().forEach((name, values) -> h.put(name, String.join(", ", values)));
        return h;
    }

    /** The request body, collected from its publisher (the CLI's requests carry small JSON bodies). */
    static byte[] bodyOf(HttpRequest request) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(bytes.toByteArray());
            }
        });
        try {
            return done.get(BODY_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the request body");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the request body", e);
        }
    }

    /** One open connection and its buffered streams. */
    private static final class Connection {
        final Socket socket;
        final OutputStream out;
        final Http11.Input in;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new Http11.Input(socket);
        }

        static Connection open(URI uri, TlsTrust tls) throws IOException {
            Socket socket = Http11.connect(uri, tls);
            try {
                return new Connection(socket);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        void close() {
            try (Socket s = socket) {
                in.close();
            } catch (IOException e) {
                // closing is all that is left to do with it
            }
        }
    }

    /** The reply's body; closing it keeps the connection for the next request if the body was read to its end. */
    private final class Body extends FilterInputStream {
        private final Http11.Response reply;
        private final Connection connection;
        private final String origin;
        private boolean closed;

        Body(Http11.Response reply, Connection connection, String origin) {
            super(reply.body());
            this.reply = reply;
            this.connection = connection;
            this.origin = origin;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (reply.reusable()) {
                giveBack(origin, connection);
            } else {
                connection.close();
            }
        }
    }

    /** A reply as the JDK's interface describes one. */
    private record Reply(int statusCode, HttpRequest request, HttpHeaders headers, InputStream body)
            implements HttpResponse<InputStream> {
        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}

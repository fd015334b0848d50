package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection keeping, against a small server that speaks HTTP/1.1 on a real socket and counts the
 * connections it accepts (the hub itself is covered by the CLI's integration tests).
 */
class PooledHttpTest {
    private static final Pattern LENGTH = Pattern.compile("(?i)content-length: (\\d+)");

    private static final byte[] BIG = new byte[3 << 20];

    static {
        new Random(7).nextBytes(BIG);
    }

    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int repliesPerConnection = Integer.MAX_VALUE;
    private ServerSocket server;

    private URI start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** Answers each request with its method and body, and closes after {@link #repliesPerConnection} replies. */
    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (int served = 0; served < repliesPerConnection; served++) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                if (head.startsWith("GET /big") || head.startsWith("GET /stall") || head.startsWith("GET /cut")) {
                    // a large body: whole, or a tenth of it and then silence, or a tenth and then the end of the connection
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + BIG.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(BIG, 0, head.startsWith("GET /big") ? BIG.length : BIG.length / 10);
                    out.flush();
                    if (head.startsWith("GET /stall")) {
                        in.read(); // until the client gives up
                    }
                    if (!head.startsWith("GET /big")) {
                        return;
                    }
                    continue;
                }
                Matcher m = LENGTH.matcher(head);
                String body = new String(in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0), StandardCharsets.UTF_8);
                requests.add(head.substring(0, head.indexOf(' ')) + " " + body);
                byte[] reply = ("echo " + head.substring(0, head.indexOf(' ')) + " " + body + " " + "x".repeat(5000))
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + reply.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last = (last << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static String text(HttpResponse<InputStream> r, boolean whole) throws IOException {
        try (InputStream in = r.body()) {
            return new String(whole ? in.readAllBytes() : in.readNBytes(10), StandardCharsets.UTF_8);
        }
    }

    @Test
    void requestsToOneOriginShareAConnectionOneAfterAnother() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp(TlsTrust.JDK);
        for (int i = 0; i < 5; i++) {
            assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedForARepeatableRequest() throws IOException {
        URI base = start();
        repliesPerConnection = 1;
        PooledHttp http = new PooledHttp(TlsTrust.JDK);
        for (int i = 0; i < 3; i++) {
            assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        }
        assertThat(requests).hasSize(3);
        assertThat(accepted).hasValue(3);
    }

    @Test
    void aRequestThatMustNotBeRepeatedGoesOnANewConnectionWithItsBody() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp(TlsTrust.JDK);
        text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true);
        HttpRequest post = HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
        assertThat(text(http.send(post, false), true)).startsWith("echo POST {\"a\":1}");
        assertThat(accepted).hasValue(2);
        assertThat(requests).containsExactly("GET ", "POST {\"a\":1}");
    }

    @Test
    void aBodyLeftUnreadClosesItsConnection() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp(TlsTrust.JDK);
        assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), false)).hasSize(10);
        assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        assertThat(accepted).as("the half-read reply's connection was not reused").hasValue(2);
    }

    /** Reads a body into a direct buffer, as a large download does, and returns its bytes. */
    private static byte[] readDirect(InputStream body) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 << 10);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (PooledHttp.read(body, buffer.clear()) >= 0) {
            byte[] chunk = new byte[buffer.flip().remaining()];
            buffer.get(chunk);
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    @Test
    void aLargeBodyIsReadIntoDirectBuffersExactlyAndItsConnectionKept() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp(TlsTrust.JDK);
        for (int i = 0; i < 2; i++) {
            try (InputStream body = http.send(HttpRequest.newBuilder(base.resolve("/big")).GET().build(), true).body()) {
                assertThat(Arrays.equals(readDirect(body), BIG)).isTrue();
            }
            assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        }
        assertThat(accepted).as("stream reads work again on the connection after a direct read").hasValue(1);
    }

    @Test
    void aLargeBodyCutShortIsAnError() throws IOException {
        URI base = start();
        try (InputStream body = new PooledHttp(TlsTrust.JDK).send(HttpRequest.newBuilder(base.resolve("/cut")).GET().build(), true).body()) {
            assertThatThrownBy(() -> readDirect(body)).isInstanceOf(IOException.class)
                    .hasMessageContaining("bytes of the body still to come");
        }
    }

    @Test
    void aLargeBodyThatStallsFailsAfterTheReadTimeout() throws IOException {
        URI base = start();
        Socket socket = Http11.connect(base, TlsTrust.JDK);
        try (socket) {
            socket.getOutputStream().write(Http11.head("GET", base.resolve("/stall"), Map.of(), -1, true));
            Http11.Response reply = Http11.readResponse(socket, new Http11.Input(socket), false);
            socket.setSoTimeout(300); // what PooledHttp sets to five minutes once the head has come
            long start = System.nanoTime();
            assertThatThrownBy(() -> readDirect(reply.body())).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("no data from the hub");
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        }
    }
}

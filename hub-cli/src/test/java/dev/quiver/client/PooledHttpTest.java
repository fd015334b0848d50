package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        PooledHttp http = new PooledHttp();
        for (int i = 0; i < 5; i++) {
            assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedForARepeatableRequest() throws IOException {
        URI base = start();
        repliesPerConnection = 1;
        PooledHttp http = new PooledHttp();
        for (int i = 0; i < 3; i++) {
            assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        }
        assertThat(requests).hasSize(3);
        assertThat(accepted).hasValue(3);
    }

    @Test
    void aRequestThatMustNotBeRepeatedGoesOnANewConnectionWithItsBody() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp();
        text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true);
        HttpRequest post = HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
        assertThat(text(http.send(post, false), true)).startsWith("echo POST {\"a\":1}");
        assertThat(accepted).hasValue(2);
        assertThat(requests).containsExactly("GET ", "POST {\"a\":1}");
    }

    @Test
    void aBodyLeftUnreadClosesItsConnection() throws IOException {
        URI base = start();
        PooledHttp http = new PooledHttp();
        assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), false)).hasSize(10);
        assertThat(text(http.send(HttpRequest.newBuilder(base).GET().build(), true), true)).startsWith("echo GET");
        assertThat(accepted).as("the half-read reply's connection was not reused").hasValue(2);
    }
}

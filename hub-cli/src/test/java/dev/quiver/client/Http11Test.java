package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bulk client's response parsing, fed hostile replies. */
class Http11Test {
    private static Http11.Response parse(String reply) throws IOException {
        return Http11.readResponse(new Socket(), new ByteArrayInputStream(reply.getBytes(StandardCharsets.ISO_8859_1)), false);
    }

    @Test
    void aBodyIsFramedByContentLengthAndHeadersAreCaseInsensitive() throws IOException {
        Http11.Response r = parse("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 2-4/10\r\nETAG: \"x\"\r\n"
                + "Content-Length: 3\r\n\r\nabcTRAILING");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("content-range")).contains("bytes 2-4/10");
        assertThat(r.header("ETag")).contains("\"x\"");
        assertThat(new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("abc");
        assertThat(r.headers().firstValue("Etag")).contains("\"x\"");
    }

    @Test
    void chunkedBodiesAreDecoded() throws IOException {
        Http11.Response r = parse("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(new String(r.smallBody(), StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
    }

    @Test
    void aBodyFromAStreamReadIntoADirectBufferIsExact() throws IOException {
        // a TLS connection has no channel: its body reaches a large download's direct buffers through the heap
        String body = "0123456789".repeat(20_000);
        Http11.Framed r = (Http11.Framed) parse("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "NEXT REPLY").body();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(300_000);
        while (r.read(buffer) >= 0) {
            // fills up to the body's end, never past it
        }
        byte[] got = new byte[buffer.flip().remaining()];
        buffer.get(got);
        assertThat(new String(got, StandardCharsets.ISO_8859_1)).isEqualTo(body);
        assertThat(r.ended()).isTrue();
    }

    @Test
    void aTruncatedBodyIsAnErrorNotAShortFile() throws IOException {
        Http11.Response r = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(IOException.class).hasMessageContaining("7 bytes");
    }

    @Test
    void hostileHeadsAreRefused() {
        for (String reply : new String[] {
            "",
            "HTTP/1.1 200 OK\r\n",
            "SSH-2.0-OpenSSH\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: " + "a".repeat(Http11.MAX_HEAD) + "\r\n\r\n"}) {
            assertThatThrownBy(() -> parse(reply)).as(reply.length() > 80 ? reply.substring(0, 80) : reply)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void malformedChunksAreRefused() throws IOException {
        for (String body : new String[] {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5\r\nhel",
            "1ffffffffffffffff\r\n"}) {
            Http11.Response r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            assertThatThrownBy(() -> r.body().readAllBytes()).as(body).isInstanceOf(IOException.class);
        }
    }

    @Test
    void requestHeadsCarryTheTargetAndRefuseHeaderInjection() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Range", "bytes=5-");
        String head = new String(Http11.head("GET", URI.create("http://h:8080/a%2Fb/c?x=1"), h, -1, false),
                StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("GET /a%2Fb/c?x=1 HTTP/1.1\r\nHost: h:8080\r\nRange: bytes=5-\r\n")
                .endsWith("Connection: close\r\n\r\n");
        String kept = new String(Http11.head("PUT", URI.create("http://h/p"), Map.of(), 12, true), StandardCharsets.ISO_8859_1);
        assertThat(kept).contains("Content-Length: 12\r\n").doesNotContain("Connection").endsWith("\r\n\r\n");
        assertThatThrownBy(() -> Http11.head("GET", URI.create("http://h/"), Map.of("X", "a\r\nEvil: 1"), -1, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConnectionIsReusableOnlyAfterItsWholeBodyWasRead() throws IOException {
        Http11.Response sized = parse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(sized.reusable()).isFalse();
        sized.body().readAllBytes();
        assertThat(sized.reusable()).isTrue();

        Http11.Response closing = parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na");
        closing.body().readAllBytes();
        assertThat(closing.reusable()).as("the server said it closes").isFalse();

        Http11.Response unframed = parse("HTTP/1.1 200 OK\r\n\r\nabc");
        unframed.body().readAllBytes();
        assertThat(unframed.reusable()).as("a body that ends with the connection").isFalse();
    }

    @Test
    void aChunkedBodyIsReadUpToTheNextReplyTrailersIncluded() throws IOException {
        InputStream wire = new ByteArrayInputStream(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        Http11.Response first = Http11.readResponse(new Socket(), wire, false);
        assertThat(new String(first.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("abc");
        assertThat(first.reusable()).isTrue();
        assertThat(Http11.readResponse(new Socket(), wire, false).status()).isEqualTo(204);
    }
}

package dev.quiver.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.TestHub;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI's pages share paths with the HF API, git and file downloads: a browser asking for HTML gets
 * the page where no API route matches, and every client keeps getting what it got before.
 */
class WebUiRoutingIT {
    private static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    private static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        hub.createRepo("model", "acme/site");
        new UiSeed(hub).commit("model", "acme/site", "card").file("README.md", "# Hello\n\n<b>bold</b>").push();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static HttpResponse<byte[]> get(String path, String accept, String encoding) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path)).header("Accept", accept);
        if (!encoding.isEmpty()) {
            b.header("Accept-Encoding", encoding);
        }
        try {
            return hub.http().send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void browsersGetThePageForRepositoryAndUiPaths() {
        for (String path : new String[] {"/", "/acme/site", "/datasets/acme/nothing", "/acme/site/tree/main/x",
            "/search?q=a", "/signin"}) {
            HttpResponse<byte[]> r = get(path, BROWSER_ACCEPT, "");
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("text/html; charset=utf-8");
            assertThat(text(r)).as(path).contains("<main id=\"main\"", "/assets/app-");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                    .doesNotContain("unsafe-inline");
        }
    }

    @Test
    void apiGitAndFileClientsAreUntouched() {
        HttpResponse<byte[]> api = get("/api/models/acme/site", BROWSER_ACCEPT, "");
        assertThat(api.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(text(api)).contains("\"id\":\"acme/site\"");

        HttpResponse<byte[]> file = get("/acme/site/resolve/main/README.md", BROWSER_ACCEPT, "");
        assertThat(text(file)).isEqualTo("# Hello\n\n<b>bold</b>");

        assertThat(get("/acme/site", "*/*", "").statusCode()).isEqualTo(404);
        assertThat(get("/acme/site", "application/json", "").statusCode()).isEqualTo(404);
        assertThat(get("/api/nothing/here", BROWSER_ACCEPT, "").statusCode()).isEqualTo(404);
        assertThat(get("/acme/site.git/info/refs?service=git-upload-pack", "*/*", "").statusCode()).isNotEqualTo(404);
    }

    @Test
    void assetsArePrecompressedAndCachedForever() throws IOException {
        Matcher m = Pattern.compile("/assets/app-[A-Z0-9]+\\.js").matcher(text(get("/", BROWSER_ACCEPT, "")));
        assertThat(m.find()).isTrue();
        String js = m.group();
        HttpResponse<byte[]> plain = get(js, "*/*", "");
        HttpResponse<byte[]> gzip = get(js, "*/*", "gzip");
        HttpResponse<byte[]> br = get(js, "*/*", "gzip, deflate, br");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes()).isEqualTo(plain.body());
        assertThat(br.body().length).isLessThan(plain.body().length);
        assertThat(plain.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(plain.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/assets/missing.js", "*/*", "").statusCode()).isEqualTo(404);
        assertThat(get("/assets/..%2Findex.html", "*/*", "").statusCode()).isEqualTo(404);
        assertThat(get(js + ".gz", "*/*", "").statusCode()).isEqualTo(404);
    }

    @Test
    void cardHtmlEndpointEscapesRawHtml() {
        HttpResponse<String> r = hub.get("/api/quiver/models/acme/site/card/main");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>Hello</h1>", "&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>");
        assertThat(hub.get("/api/quiver/models/acme/site/card/nope").statusCode()).isEqualTo(404);
        assertThat(hub.get("/api/quiver/models/acme/none/card/main").statusCode()).isEqualTo(404);
    }

    @Test
    void commitEndpointListsChangedFiles() {
        HttpResponse<String> r = hub.get("/api/quiver/models/acme/site/commit/main");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"title\":\"card\"", "\"path\":\"README.md\"", "\"change\":\"added\"",
                "\"filesTotal\":1");
    }
}

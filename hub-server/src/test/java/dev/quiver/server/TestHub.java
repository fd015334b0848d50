package dev.quiver.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real hub for tests: started in this JVM on an ephemeral port over a fresh temporary data
 * directory, with a known admin token. Every module's integration tests use this one fixture.
 *
 * <pre>{@code
 * try (TestHub hub = TestHub.start()) {
 *     hub.createRepo("model", "admin/my-lora");
 *     HttpResponse<String> r = hub.get("/api/models/admin/my-lora");
 * }
 * }</pre>
 */
public final class TestHub implements AutoCloseable {
    public static final String ADMIN_TOKEN = "hf_testAdminToken0000000000000000000";

    private final Hub hub;
    private final HubConfig config;
    private final boolean ownsDataDir;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private TestHub(Hub hub, HubConfig config, boolean ownsDataDir) {
        this.hub = hub;
        this.config = config;
        this.ownsDataDir = ownsDataDir;
    }

    public static TestHub start() {
        return start(c -> c);
    }

    /** Starts a hub whose configuration {@code customize} adjusts (e.g. a short job lease). */
    public static TestHub start(UnaryOperator<HubConfig> customize) {
        try {
            return start(Files.createTempDirectory("quiver-test-"), true, customize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a hub over an existing data directory (to test restarts); the directory is kept on close. */
    public static TestHub restart(Path dataDir) {
        return start(dataDir, false, c -> c);
    }

    private static TestHub start(Path dataDir, boolean owns, UnaryOperator<HubConfig> customize) {
        return launch(customize.apply(HubConfig.defaults(dataDir).withPort(0).withAdminToken(ADMIN_TOKEN)), owns);
    }

    private static TestHub launch(HubConfig config, boolean owns) {
        return new TestHub(Hub.start(config), config, owns);
    }

    /**
     * Stops this hub, keeps it down for {@code down}, and starts it again over the same data, configuration
     * and port, as an operator's restart would: clients that hold its URL (runners) find it again. Use the
     * returned hub from then on; it owns the data directory if this one did.
     */
    public TestHub restartAfter(Duration down) throws InterruptedException {
        HubConfig samePort = config.withPort(hub.port());
        hub.close();
        Thread.sleep(down);
        return launch(samePort, ownsDataDir);
    }

    public Hub hub() {
        return hub;
    }

    public String url() {
        return hub.url();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public String token() {
        return ADMIN_TOKEN;
    }

    public HttpClient http() {
        return http;
    }

    /** A request builder for {@code path} carrying the admin token. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a repository ({@code type} is {@code model} or {@code dataset}) and fails the test if it cannot. */
    public void createRepo(String type, String id) {
        String[] parts = id.split("/");
        HttpResponse<String> r = postJson("/api/repos/create", "{\"type\":\"" + type + "\",\"organization\":\""
                + parts[0] + "\",\"name\":\"" + parts[1] + "\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("create " + id + " failed: " + r.statusCode() + " " + r.body());
        }
    }

    @Override
    public void close() {
        hub.close();
        if (ownsDataDir) {
            try (Stream<Path> walk = Files.walk(config.dataDir())) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp data; the OS cleans it eventually
            }
        }
    }
}

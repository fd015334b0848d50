package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.HubException.Problem;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;

/**
 * The HTTP layer under {@link HubClient}: kept-alive connections ({@link PooledHttp}), the token attached only to requests
 * for the hub's own origin, redirects followed by hand (so the token is dropped when a redirect
 * leaves the hub, as huggingface_hub does), transient failures retried with backoff, and HF-style
 * error replies turned into {@link HubException}s.
 */
public final class HubHttp {
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final String USER_AGENT = "quiver-cli/0.1.0; java/" + Runtime.version().feature();
    private static final int MAX_REDIRECTS = 5;

    private final URI endpoint;
    private final Optional<String> token;
    private final PooledHttp connections;
    private final Retry retry;
    private final TlsTrust tls;

    public HubHttp(URI endpoint, Optional<String> token, Retry retry, TlsTrust tls) {
        this.endpoint = endpoint;
        this.token = token;
        this.retry = retry;
        this.tls = tls;
        this.connections = new PooledHttp(tls);
    }

    /** The certificate authorities this client's HTTPS connections trust (uploads to signed URLs too). */
    TlsTrust tls() {
        return tls;
    }

    public URI endpoint() {
        return endpoint;
    }

    public boolean hasToken() {
        return token.isPresent();
    }

    /** An absolute URL on the hub for a path (already percent-encoded) and query. */
    public URI url(String pathAndQuery) {
        return URI.create(endpoint + pathAndQuery);
    }

    /** How a request is sent: whether it is safe to repeat, whether to follow redirects. */
    public record Options(boolean idempotent, boolean followRedirects, boolean authorize) {
        public static final Options READ = new Options(true, true, true);
        public static final Options WRITE = new Options(false, true, true);
        /** A request to a pre-signed LFS href: never carries the token, may be repeated. */
        public static final Options SIGNED = new Options(true, true, false);
    }

    /**
     * Sends a request and returns the final response, whatever its status, with its body as a stream
     * the caller must close. Connection failures and transient statuses are retried for idempotent
     * requests; a request that never reached the hub (connection refused) is retried for any.
     */
    public HttpResponse<InputStream> send(HttpRequest request, Options options) {
        int attempt = 1;
        while (true) {
            try {
                HttpResponse<InputStream> response = sendFollowing(request, options);
                if (options.idempotent() && Retry.isTransient(response.statusCode()) && attempt < retry.attempts()) {
                    Optional<Duration> after = retryAfter(response.headers());
                    response.body().close();
                    Retry.sleep(retry.delay(attempt++, after));
                    continue;
                }
                return response;
            } catch (SSLHandshakeException e) {
                throw untrusted(request.uri(), e); // the same certificate again would fail again: no retry
            } catch (IOException e) {
                boolean neverSent = e instanceof ConnectException;
                if ((options.idempotent() || neverSent) && attempt < retry.attempts()) {
                    Retry.sleep(retry.delay(attempt++, Optional.empty()));
                    continue;
                }
                throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(),
                        "cannot reach " + request.uri().getHost() + ":" + portOf(request.uri()) + " (" + describe(e)
                                + "); is the hub running and the endpoint right? (QUIVER_ENDPOINT, `quiver login`)", e);
            }
        }
    }

    private HttpResponse<InputStream> sendFollowing(HttpRequest request, Options options) throws IOException {
        HttpRequest current = authorize(request, options.authorize());
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = connections.send(current, options.idempotent());
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            Optional<String> location = response.headers().firstValue("Location");
            if (!redirect || !options.followRedirects() || location.isEmpty() || hop >= MAX_REDIRECTS) {
                return response;
            }
            response.body().close();
            URI next = current.uri().resolve(location.get());
            HttpRequest.Builder b = HttpRequest.newBuilder(next).timeout(Duration.ofMinutes(10));
            current.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Authorization")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            boolean keepMethod = status == 307 || status == 308 || current.method().equals("HEAD");
            if (keepMethod) {
                b.method(current.method(), current.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
            } else {
                b.GET();
            }
            current = authorize(b.build(), options.authorize());
        }
    }

    /** Adds the token when the request goes to the hub's own origin, and the user agent. */
    private HttpRequest authorize(HttpRequest request, boolean allowed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request, (n, v) -> !n.equalsIgnoreCase("Authorization"));
        if (request.headers().firstValue("User-Agent").isEmpty()) {
            b.header("User-Agent", USER_AGENT);
        }
        if (allowed && token.isPresent() && sameOrigin(request.uri())) {
            b.header("Authorization", "Bearer " + token.get());
        }
        return b.build();
    }

    /** The headers of an upload to a pre-signed href ({@link Http11#put}): the user agent, never the token. */
    Map<String, String> signedUploadHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("User-Agent", USER_AGENT);
        return h;
    }

    private boolean sameOrigin(URI uri) {
        return endpoint.getScheme().equalsIgnoreCase(uri.getScheme())
                && endpoint.getHost().equalsIgnoreCase(uri.getHost()) && portOf(endpoint) == portOf(uri);
    }

    private static int portOf(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Sends and parses a JSON reply; a non-2xx reply becomes a {@link HubException} about {@code subject}. */
    public JsonNode json(HttpRequest request, Options options, Subject subject) {
        HttpResponse<InputStream> response = send(request, options);
        try (InputStream in = response.body()) {
            byte[] body = in.readAllBytes();
            if (response.statusCode() / 100 != 2) {
                throw failure(response.statusCode(), response.headers(), body, subject);
            }
            return body.length == 0 ? Json.mapper().nullNode() : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(),
                    "reading the reply from " + request.uri().getPath() + " failed: " + describe(e), e);
        }
    }

    public JsonNode getJson(String pathAndQuery, Subject subject) {
        return json(get(url(pathAndQuery)).build(), Options.READ, subject);
    }

    public JsonNode sendJson(String method, String path, Object body, Options options, Subject subject) {
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(body);
            HttpRequest request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            return json(request, options, subject);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * GETs every page of a list, following {@code Link: <url>; rel="next"}, until {@code limit} items
     * (or all of them, for a negative limit).
     */
    public List<JsonNode> getPaged(String pathAndQuery, int limit, Subject subject) {
        List<JsonNode> items = new ArrayList<>();
        URI next = url(pathAndQuery);
        while (next != null && (limit < 0 || items.size() < limit)) {
            HttpResponse<InputStream> response = send(get(next).build(), Options.READ);
            try (InputStream in = response.body()) {
                byte[] body = in.readAllBytes();
                if (response.statusCode() / 100 != 2) {
                    throw failure(response.statusCode(), response.headers(), body, subject);
                }
                JsonNode page = Json.mapper().readTree(body);
                if (!page.isArray()) {
                    throw new HubException(Problem.OTHER, "expected a JSON list from " + next.getPath());
                }
                for (JsonNode item : page) {
                    if (limit >= 0 && items.size() >= limit) {
                        break;
                    }
                    items.add(item);
                }
            } catch (IOException e) {
                throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "reading a page failed: " + describe(e), e);
            }
            URI current = next;
            next = nextLink(response.headers()).map(current::resolve).orElse(null);
        }
        return items;
    }

    static Optional<String> nextLink(HttpHeaders headers) {
        for (String link : headers.allValues("Link")) {
            Matcher m = LINK_NEXT.matcher(link);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    public HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET();
    }

    /**
     * Turns an error reply into an exception whose message says what failed and what to do next,
     * reading the HF error headers first and the JSON body second, like the official clients.
     */
    public HubException failure(int status, HttpHeaders headers, byte[] body, Subject subject) {
        Optional<String> code = headers.firstValue("X-Error-Code").filter(s -> !s.isBlank());
        String serverMessage = headers.firstValue("X-Error-Message").filter(s -> !s.isBlank())
                .orElseGet(() -> bodyMessage(body).orElse("HTTP " + status));
        String c = code.orElse("");
        Problem problem;
        String message;
        if (c.equals("RepoNotFound")) {
            problem = Problem.NOT_FOUND;
            message = "repo " + subject.repoText() + " not found or private"
                    + (hasToken() ? "" : " (not logged in: run `quiver login` if it is private)");
        } else if (c.equals("RevisionNotFound")) {
            problem = Problem.NOT_FOUND;
            message = "revision " + subject.revision().orElse("?") + " not found in " + subject.repoText();
        } else if (c.equals("EntryNotFound")) {
            problem = Problem.NOT_FOUND;
            message = subject.path().map(p -> "'" + p + "'").orElse("path") + " not found in " + subject.repoText()
                    + subject.revision().map(r -> " at " + r).orElse("");
        } else if (c.equals("GatedRepo")) {
            problem = status == 401 ? Problem.UNAUTHORIZED : Problem.FORBIDDEN;
            message = "repo " + subject.repoText() + " is gated: " + serverMessage
                    + (hasToken() ? "; request access on its page" : "; run `quiver login` first");
        } else if (status == 401) {
            problem = Problem.UNAUTHORIZED;
            message = hasToken() ? "the hub refused the token (" + serverMessage + "): run `quiver login` again"
                    : "not logged in: run `quiver login` (or set QUIVER_TOKEN)"
                            + subject.repo().map(r -> "; or " + r + " does not exist").orElse("");
        } else if (status == 403) {
            problem = Problem.FORBIDDEN;
            message = "forbidden: " + serverMessage;
        } else if (status == 404) {
            problem = Problem.NOT_FOUND;
            message = "not found: " + serverMessage;
        } else if (status == 409 || status == 412) {
            problem = Problem.CONFLICT;
            message = (status == 412 ? "the branch moved on since it was read: " : "conflict: ") + serverMessage;
        } else if (status == 400 || status == 413 || status == 422) {
            problem = Problem.BAD_INPUT;
            message = "refused by the hub: " + serverMessage;
        } else if (Retry.isTransient(status)) {
            problem = Problem.UNAVAILABLE;
            message = "the hub kept failing (HTTP " + status + "): " + serverMessage + "; try again later";
        } else {
            problem = Problem.OTHER;
            message = "HTTP " + status + ": " + serverMessage;
        }
        return new HubException(problem, status, code, message, null);
    }

    private static Optional<String> bodyMessage(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            for (String key : new String[] {"error", "message", "error_description"}) {
                if (node.path(key).isTextual() && !node.path(key).asText().isBlank()) {
                    return Optional.of(node.path(key).asText());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }
    }

    private static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static HubException untrusted(URI uri, SSLHandshakeException e) {
        String where = uri.getHost() + ":" + portOf(uri);
        boolean certificate = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            certificate |= t instanceof CertificateException;
        }
        return new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), certificate
                ? "the TLS certificate of " + where + " is not trusted (" + describe(e) + "); if your organisation's "
                        + "CA signed it, set REQUESTS_CA_BUNDLE (or SSL_CERT_FILE) to a PEM file of that CA"
                : "the TLS handshake with " + where + " failed (" + describe(e) + ")", e);
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** What a request was about, so an error can name the repo, revision or file. */
    public record Subject(Optional<RepoRef> repo, Optional<String> revision, Optional<String> path) {
        public static final Subject NONE = new Subject(Optional.empty(), Optional.empty(), Optional.empty());

        public static Subject of(RepoRef repo) {
            return new Subject(Optional.of(repo), Optional.empty(), Optional.empty());
        }

        public static Subject of(RepoRef repo, String revision) {
            return new Subject(Optional.of(repo), Optional.of(revision), Optional.empty());
        }

        public static Subject of(RepoRef repo, String revision, String path) {
            return new Subject(Optional.of(repo), Optional.of(revision), Optional.of(path));
        }

        String repoText() {
            return repo.map(RepoRef::toString).orElse("?");
        }
    }
}

package dev.quiver.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web UI (built by the {@code web-ui} module into {@code META-INF/quiver-ui/}). Registered
 * after the API router, it sees only requests no API route matched: {@code /assets/...} are the
 * bundled scripts and styles (content-hashed, cached for a year, sent precompressed), and any other
 * GET whose {@code Accept} prefers HTML gets {@code index.html}, whose script routes in the browser.
 * So {@code /owner/name} is a page for a person while git, resolve and API paths are untouched.
 * Everything else goes on to the server's plain 404.
 */
public final class WebUi implements Handler {
    private static final String ROOT = "META-INF/quiver-ui/";
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * Card images may come from any https host; nothing else leaves the hub, except the sign-out form,
     * which ends at the identity provider's end-session page when there is one (a browser applies
     * {@code form-action} to a form's redirects too).
     */
    static String contentSecurityPolicy(Optional<String> identityProviderOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
                + "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'"
                + identityProviderOrigin.map(o -> " " + o).orElse("") + "; frame-ancestors 'none'";
    }

    private record Asset(byte[] identity, Optional<byte[]> gzip, Optional<byte[]> brotli, String contentType) {
    }

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final ClassLoader loader = WebUi.class.getClassLoader();
    private final String contentSecurityPolicy;

    /** {@code identityProviderOrigin}: the OIDC issuer's origin when sign-in goes through one. */
    public WebUi(Optional<String> identityProviderOrigin) {
        this.contentSecurityPolicy = contentSecurityPolicy(identityProviderOrigin);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Method method = req.prologue().method();
        if (!method.equals(Method.GET) && !method.equals(Method.HEAD)) {
            res.next();
            return;
        }
        String path = req.path().rawPath();
        Optional<Asset> asset = Optional.empty();
        boolean immutable = false;
        if (path.startsWith("/assets/")) {
            asset = asset("assets/" + path.substring("/assets/".length()));
            immutable = true;
        } else if (path.equals("/favicon.svg")) {
            asset = asset("favicon.svg");
        } else if (!path.startsWith("/api/") && prefersHtml(req.headers().first(HeaderNames.ACCEPT).orElse(""))) {
            asset = asset("index.html");
        }
        if (asset.isEmpty()) {
            res.next();
            return;
        }
        send(req, res, method, asset.get(), immutable);
    }

    private void send(ServerRequest req, ServerResponse res, Method method, Asset asset, boolean immutable) {
        String accepted = req.headers().first(HeaderNames.ACCEPT_ENCODING).orElse("");
        byte[] body = asset.identity();
        if (asset.brotli().isPresent() && acceptsEncoding(accepted, "br")) {
            body = asset.brotli().get();
            res.header(HeaderNames.CONTENT_ENCODING, "br");
        } else if (asset.gzip().isPresent() && acceptsEncoding(accepted, "gzip")) {
            body = asset.gzip().get();
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.header(HeaderNames.VARY, "Accept-Encoding");
        res.header(HeaderNames.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (asset.contentType().startsWith("text/html")) {
            res.header(HeaderNames.create("Content-Security-Policy"), contentSecurityPolicy);
            res.header(HeaderNames.create("Referrer-Policy"), "same-origin");
            res.header(HeaderNames.create("X-Frame-Options"), "DENY");
        }
        if (method.equals(Method.HEAD)) {
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    private Optional<Asset> asset(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        if (!ASSET_NAME.matcher(file).matches() || file.endsWith(".gz") || file.endsWith(".br")) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(name, n -> read(ROOT + n).map(bytes -> new Asset(bytes, read(ROOT + n + ".gz"),
                read(ROOT + n + ".br"), contentType(n))));
    }

    private Optional<byte[]> read(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "json" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    /**
     * Whether an {@code Accept} header asks for a page: {@code text/html} (or XHTML) is listed with a
     * quality no lower than any other listed type. A bare {@code *}{@code /*} (curl, HF clients) is not.
     */
    static boolean prefersHtml(String accept) {
        double html = 0;
        double other = 0;
        for (String part : accept.split(",")) {
            String[] params = part.strip().split(";", -1);
            String type = params[0].strip().toLowerCase(Locale.ROOT);
            double q = quality(params);
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            } else if (!type.isEmpty() && !type.equals("*/*")) {
                other = Math.max(other, q);
            }
        }
        return html > 0 && html >= other;
    }

    /** Whether {@code Accept-Encoding} allows {@code coding} (listed with a non-zero quality). */
    static boolean acceptsEncoding(String acceptEncoding, String coding) {
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.strip().split(";", -1);
            if (params[0].strip().equalsIgnoreCase(coding)) {
                return quality(params) > 0;
            }
        }
        return false;
    }

    private static double quality(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    double q = Double.parseDouble(p.substring(2).strip());
                    return Double.isFinite(q) ? Math.max(0, Math.min(1, q)) : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}

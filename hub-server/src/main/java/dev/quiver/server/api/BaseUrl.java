package dev.quiver.server.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The hub's own absolute URL as clients see it. Clients check that URLs in replies (repo urls,
 * commit urls, pagination links) are on the endpoint they called, so this is the configured public
 * URL, or else the scheme and {@code Host} of the request.
 */
public record BaseUrl(Optional<String> configured) {
    public String of(ServerRequest req) {
        if (configured.isPresent()) {
            return configured.get();
        }
        String host = req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host() + ":" + req.localPeer().port());
        String scheme = req.headers().first(HeaderNames.X_FORWARDED_PROTO).orElse(req.isSecure() ? "https" : "http");
        return scheme + "://" + host;
    }
}

package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.Caller;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The hub's routing table. Routes match on the raw path split into segments that are decoded one by
 * one (the Hugging Face clients put {@code %2F} inside revisions), authenticate the caller, and hand
 * a {@link Call} to their endpoint. Paths no route knows go on to the next handler (the web UI).
 */
public final class Router implements Handler {
    private record Route(Method method, PathPattern pattern, Map<String, String> fixed, Endpoint endpoint) {
    }

    private final List<Route> routes;
    private final Authenticator authenticator;
    private final ErrorWriter errors;
    private final BaseUrl baseUrl;

    private Router(List<Route> routes, Authenticator authenticator, ErrorWriter errors, BaseUrl baseUrl) {
        this.routes = List.copyOf(routes);
        this.authenticator = authenticator;
        this.errors = errors;
        this.baseUrl = baseUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Caller caller = Caller.anonymous();
        try {
            List<String> segments = segments(req.path().rawPath());
            Method method = req.prologue().method();
            boolean pathKnown = false;
            for (Route route : routes) {
                Optional<PathPattern.Match> match = route.pattern().match(segments);
                if (match.isEmpty()) {
                    continue;
                }
                pathKnown = true;
                if (!route.method().equals(method)
                        && !(method.equals(Method.HEAD) && route.method().equals(Method.GET))) {
                    continue;
                }
                caller = authenticator.authenticate(req);
                Map<String, String> vars = new HashMap<>(match.get().vars());
                vars.putAll(route.fixed());
                route.endpoint().handle(new Call(req, res, vars, match.get().rest(), caller, baseUrl));
                return;
            }
            if (pathKnown) {
                throw new QuiverException(Reason.METHOD_NOT_ALLOWED, method.text() + " is not allowed here");
            }
            res.next();
        } catch (Exception e) {
            errors.write(res, req.prologue().method(), caller, e);
        }
    }

    /** Splits a raw path into decoded segments; a {@code %2F} stays inside its segment. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw QuiverException.badRequest("malformed percent-encoding in the URL path");
            }
        }
        return out;
    }

    /** Collects routes in the order they are tried. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder get(String pattern, Endpoint endpoint) {
            return add(Method.GET, pattern, Map.of(), endpoint);
        }

        public Builder post(String pattern, Endpoint endpoint) {
            return add(Method.POST, pattern, Map.of(), endpoint);
        }

        public Builder put(String pattern, Endpoint endpoint) {
            return add(Method.PUT, pattern, Map.of(), endpoint);
        }

        public Builder delete(String pattern, Endpoint endpoint) {
            return add(Method.DELETE, pattern, Map.of(), endpoint);
        }

        public Builder add(Method method, String pattern, Map<String, String> fixed, Endpoint endpoint) {
            routes.add(new Route(method, PathPattern.parse(pattern), Map.copyOf(fixed), endpoint));
            return this;
        }

        /**
         * Registers a file-style route (resolve, git, LFS) for both repository types: as given for
         * models, and under {@code /datasets} for datasets; the endpoint reads the {@code type} variable.
         */
        public Builder repoFiles(Method method, String pattern, Endpoint endpoint) {
            add(method, "/datasets" + pattern, Map.of("type", "datasets"), endpoint);
            return add(method, pattern, Map.of("type", "models"), endpoint);
        }

        /** Lets a group of endpoints add their routes in one place. */
        public Builder with(Consumer<Builder> group) {
            group.accept(this);
            return this;
        }

        /**
         * The router, with {@code GET /api/quiver/routes} listing every route (method and pattern):
         * an index of the API, and what the permission-matrix test checks it covers.
         */
        public Router build(Authenticator authenticator, ErrorWriter errors, BaseUrl baseUrl) {
            List<Map<String, String>> index = new ArrayList<>();
            get("/api/quiver/routes", call -> call.sendJson(index));
            for (Route route : routes) {
                index.add(Map.of("method", route.method().text(), "path", route.pattern().text()));
            }
            return new Router(routes, authenticator, errors, baseUrl);
        }
    }
}

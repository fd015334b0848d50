package dev.quiver.server.api;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.HostedTypes;
import io.helidon.http.Method;
import java.util.Map;

/**
 * Registers a repository API route once per repository type ({@code /api/models/...},
 * {@code /api/datasets/...}) rather than as {@code /api/{type}/...}, so that a pattern such as
 * {@code /api/{type}/{ns}/{name}} cannot capture another resource's URL
 * ({@code /api/settings/webhooks/5}, {@code /api/jobs/acme/7}) whatever order routes were added in.
 */
final class RepoRoutes {
    private RepoRoutes() {
    }

    /** {@code pattern} starts after {@code /api/{plural}}; endpoints read the type from {@code type}. */
    static void api(Router.Builder r, Method method, String pattern, Endpoint endpoint) {
        for (RepoType type : HostedTypes.ALL) {
            r.add(method, "/api/" + type.plural() + pattern, Map.of("type", type.plural()), endpoint);
        }
    }
}

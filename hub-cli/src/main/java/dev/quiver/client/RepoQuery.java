package dev.quiver.client;

import dev.quiver.schema.repo.RepoType;
import java.util.List;
import java.util.Optional;

/**
 * A listing or search of repositories with the filters of {@code GET /api/models|datasets}:
 * free text, author, tag filters (repeated, e.g. {@code base_model:adapter:org/base}), pipeline tag,
 * sort key and a limit.
 */
public record RepoQuery(RepoType type, Optional<String> search, Optional<String> author, List<String> filters,
        Optional<String> pipelineTag, Optional<String> sort, int limit) {
    public RepoQuery {
        filters = List.copyOf(filters);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        sort.ifPresent(s -> {
            if (!List.of("lastModified", "createdAt", "trendingScore", "downloads", "likes").contains(s)) {
                throw new IllegalArgumentException("unknown sort '" + s
                        + "': use lastModified, createdAt, trendingScore, downloads or likes");
            }
        });
    }

    /** The query string, each value encoded; {@code limit} is per page, capped as the JS client does. */
    String queryString() {
        StringBuilder q = new StringBuilder("?limit=").append(Math.min(limit, 500));
        search.ifPresent(s -> q.append("&search=").append(UrlPaths.query(s)));
        author.ifPresent(a -> q.append("&author=").append(UrlPaths.query(a)));
        filters.forEach(f -> q.append("&filter=").append(UrlPaths.query(f)));
        pipelineTag.ifPresent(p -> q.append("&pipeline_tag=").append(UrlPaths.query(p)));
        sort.ifPresent(s -> q.append("&sort=").append(UrlPaths.query(s)));
        return q.toString();
    }
}

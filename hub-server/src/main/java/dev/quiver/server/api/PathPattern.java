package dev.quiver.server.api;

import dev.quiver.server.repo.HostedTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route's path: literal segments, {@code {var}} for one segment and a final {@code {var*}} for the
 * rest (zero or more segments). The variable {@code {type}} only matches a repository type's plural
 * ({@code models}, {@code datasets}), so {@code /api/{type}/{ns}/{name}} never swallows
 * {@code /api/jobs/ns/id}. Matching works on segments decoded one by one, so a {@code %2F} inside a
 * revision stays inside its segment.
 */
public record PathPattern(String text, List<String> parts) {
    public static PathPattern parse(String text) {
        List<String> parts = new ArrayList<>();
        for (String p : text.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).endsWith("*}")) {
                throw new IllegalArgumentException("a rest variable must come last: " + text);
            }
        }
        return new PathPattern(text, List.copyOf(parts));
    }

    /** The variables and the rest segments of a matching path. */
    public record Match(Map<String, String> vars, List<String> rest) {
    }

    /** Nothing is allocated for a path that does not match: every request tries the routes in turn. */
    public Optional<Match> match(List<String> segments) {
        boolean endsWithRest = !parts.isEmpty() && isRest(parts.getLast());
        if (endsWithRest ? segments.size() < parts.size() - 1 : segments.size() != parts.size()) {
            return Optional.empty();
        }
        Map<String, String> vars = null;
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (isRest(part)) {
                return Optional.of(new Match(vars == null ? Map.of() : vars,
                        List.copyOf(segments.subList(i, segments.size()))));
            }
            if (part.equals("{type}") && HostedTypes.fromPlural(segments.get(i)).isEmpty()) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (vars == null) {
                    vars = new HashMap<>();
                }
                vars.put(part.substring(1, part.length() - 1), segments.get(i));
            } else if (!part.equals(segments.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Match(vars == null ? Map.of() : vars, List.of()));
    }

    private static boolean isRest(String part) {
        return part.startsWith("{") && part.endsWith("*}");
    }
}

package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPatternTest {
    @Test
    void variablesRestAndTypesMatchSegmentBySegment() {
        PathPattern resolve = PathPattern.parse("/{ns}/{name}/resolve/{rev}/{path*}");
        assertThat(resolve.match(List.of("org", "x", "resolve", "main", "dir", "a.bin"))).hasValueSatisfying(m -> {
            assertThat(m.vars()).isEqualTo(Map.of("ns", "org", "name", "x", "rev", "main"));
            assertThat(m.rest()).containsExactly("dir", "a.bin");
        });
        assertThat(resolve.match(List.of("org", "x", "resolve", "main"))).as("an empty rest")
                .hasValueSatisfying(m -> assertThat(m.rest()).isEmpty());
        assertThat(resolve.match(List.of("org", "x", "resolve"))).isEmpty();
        assertThat(resolve.match(List.of("org", "x", "blob", "main", "a.bin"))).isEmpty();

        PathPattern typed = PathPattern.parse("/api/{type}/{ns}/{name}");
        assertThat(typed.match(List.of("api", "datasets", "org", "x"))).hasValueSatisfying(m ->
                assertThat(m.vars()).containsEntry("type", "datasets"));
        assertThat(typed.match(List.of("api", "jobs", "org", "x"))).as("not a repository type").isEmpty();
        assertThat(typed.match(List.of("api", "models", "org"))).isEmpty();
        assertThat(typed.match(List.of("api", "models", "org", "x", "extra"))).isEmpty();

        assertThat(PathPattern.parse("/api/whoami-v2").match(List.of("api", "whoami-v2")))
                .hasValueSatisfying(m -> assertThat(m.vars()).isEmpty());
        assertThatThrownBy(() -> PathPattern.parse("/{path*}/x")).isInstanceOf(IllegalArgumentException.class);
    }
}

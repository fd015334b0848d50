package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathFilterTest {
    private static PathFilter include(String... patterns) {
        return new PathFilter(List.of(patterns), List.of());
    }

    @Test
    void starMatchesAcrossSlashesLikePythonsFnmatch() {
        assertThat(include("*.json").matches("config.json")).isTrue();
        assertThat(include("*.json").matches("sub/dir/config.json")).isTrue();
        assertThat(include("data/*").matches("data/a/b.jsonl")).isTrue();
        assertThat(include("*.json").matches("config.jsonl")).isFalse();
    }

    @Test
    void aTrailingSlashMeansEverythingUnderTheFolder() {
        assertThat(include("data/").matches("data/train.jsonl")).isTrue();
        assertThat(include("data/").matches("data/deep/x")).isTrue();
        assertThat(include("data/").matches("database.txt")).isFalse();
    }

    @Test
    void questionMarksAndCharacterClassesWork() {
        assertThat(include("model-0000?.bin").matches("model-00001.bin")).isTrue();
        assertThat(include("model-0000?.bin").matches("model-000010.bin")).isFalse();
        assertThat(include("[ab].txt").matches("a.txt")).isTrue();
        assertThat(include("[!ab].txt").matches("a.txt")).isFalse();
        assertThat(include("[!ab].txt").matches("c.txt")).isTrue();
        assertThat(include("[a-c].txt").matches("b.txt")).isTrue();
    }

    @Test
    void excludeWinsOverInclude() {
        PathFilter f = new PathFilter(List.of("*.safetensors", "*.json"), List.of("optimizer*"));
        assertThat(f.matches("adapter_model.safetensors")).isTrue();
        assertThat(f.matches("optimizer.safetensors")).isFalse();
        assertThat(f.matches("README.md")).isFalse();
        assertThat(PathFilter.ALL.matches("anything/at/all")).isTrue();
    }

    @Test
    void hostilePatternsAreLiteralsNotRegexes() {
        assertThat(include("a.b").matches("aXb")).isFalse();
        assertThat(include("(x|y)").matches("x")).isFalse();
        assertThat(include("(x|y)").matches("(x|y)")).isTrue();
        assertThat(include("[").matches("[")).isTrue();
        assertThat(include("[abc").matches("[abc")).isTrue();
        assertThat(include("x\\E.*\\Q").matches("x\\E.*\\Q")).isTrue();
        assertThat(include("x\\E.*\\Q").matches("xanything")).isFalse();
        assertThat(include("[\\]]").matches("]")).isFalse();
        assertThat(include("[&&a]").matches("a")).isTrue();
        assertThat(include("[^a]").matches("^")).isTrue();
        assertThat(include("*".repeat(500) + "x").matches("y".repeat(2000))).isFalse();
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlPathsTest {
    @Test
    void revisionsAreOneSegmentAndPathsKeepTheirSlashes() {
        assertThat(UrlPaths.segment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
        assertThat(UrlPaths.segment("v1.0_rc-2~x")).isEqualTo("v1.0_rc-2~x");
        assertThat(UrlPaths.path("data/my file #1.jsonl")).isEqualTo("data/my%20file%20%231.jsonl");
        assertThat(UrlPaths.path("é/%")).isEqualTo("%C3%A9/%25");
        assertThat(UrlPaths.query("a&b=c?")).isEqualTo("a%26b%3Dc%3F");
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoRefTest {
    @Test
    void urlsAndCacheFoldersFollowTheHubsConventions() {
        RepoRef model = RepoRef.model("acme/my-lora");
        assertThat(model.apiPath()).isEqualTo("/api/models/acme/my-lora");
        assertThat(model.webPath()).isEqualTo("/acme/my-lora");
        assertThat(model.cacheFolderName()).isEqualTo("models--acme--my-lora");
        RepoRef data = RepoRef.dataset("acme/qa.v2");
        assertThat(data.apiPath()).isEqualTo("/api/datasets/acme/qa.v2");
        assertThat(data.webPath()).isEqualTo("/datasets/acme/qa.v2");
        assertThat(data.cacheFolderName()).isEqualTo("datasets--acme--qa.v2");
        assertThat(data.toString()).isEqualTo("datasets/acme/qa.v2");
        RepoRef canonical = RepoRef.model("gpt2");
        assertThat(canonical.namespace()).isEmpty();
        assertThat(canonical.cacheFolderName()).isEqualTo("models--gpt2");
    }

    @Test
    void hostileIdsAreRefusedBeforeTheyReachAUrlOrAPath() {
        for (String id : new String[] {"", "/", "a/", "/a", "a/b/c", "../x", "a/..", "a/.", "a--b/c", "a/b..c",
            "a b/c", "a/b?c", "a/b#c", "a/b%2Fc", "a\\b/c", "-a/b", "a/b-", ".a/b", "a/" + "x".repeat(97),
            "a/b\u0000", "a/\u00e9"}) {
            assertThatThrownBy(() -> RepoRef.model(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

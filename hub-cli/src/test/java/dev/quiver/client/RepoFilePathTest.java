package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoFilePathTest {
    @Test
    void ordinaryPathsPass() {
        assertThat(RepoFilePath.check("adapter_model.safetensors")).isEqualTo("adapter_model.safetensors");
        assertThat(RepoFilePath.check("data/train-00001.jsonl")).isEqualTo("data/train-00001.jsonl");
        assertThat(RepoFilePath.check(".gitattributes")).isEqualTo(".gitattributes");
        assertThat(RepoFilePath.check("dir/..hidden")).isEqualTo("dir/..hidden");
    }

    @Test
    void pathsThatCouldEscapeAFolderAreRefused() {
        for (String p : new String[] {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", ".", "..",
            "a\\..\\b", "a\u0000b", "a\nb", "x".repeat(5000)}) {
            assertThatThrownBy(() -> RepoFilePath.check(p)).as(p).isInstanceOf(HubException.class)
                    .extracting(e -> ((HubException) e).problem()).isEqualTo(HubException.Problem.BAD_INPUT);
        }
    }

    @Test
    void onlyLowerCaseHexIdsNameBlobs() {
        assertThat(RepoFilePath.checkHexId("a".repeat(40), "etag")).hasSize(40);
        assertThat(RepoFilePath.checkHexId("0".repeat(64), "etag")).hasSize(64);
        for (String id : new String[] {"A".repeat(40), "a".repeat(41), "../" + "a".repeat(37), "g".repeat(64), ""}) {
            assertThatThrownBy(() -> RepoFilePath.checkHexId(id, "etag")).as(id).isInstanceOf(HubException.class);
        }
        assertThat(RepoFilePath.isCommitId("0123456789abcdef0123456789abcdef01234567")).isTrue();
        assertThat(RepoFilePath.isCommitId("main")).isFalse();
    }
}

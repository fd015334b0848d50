package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.client.HubException;
import dev.quiver.client.LocalFile;
import dev.quiver.client.PathFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadCommandTest {
    @Test
    void aFolderBecomesSortedRepoPathsWithoutGitOrHfBookkeeping(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref");
        Files.createDirectories(dir.resolve(".cache/huggingface/download"));
        Files.writeString(dir.resolve(".cache/huggingface/download/x.metadata"), "m");
        Files.createDirectories(dir.resolve("data/.cache"));
        Files.writeString(dir.resolve("data/.cache/kept.txt"), "k");
        Files.writeString(dir.resolve("b.json"), "{}");
        Files.writeString(dir.resolve("a.safetensors"), "w");
        Files.writeString(dir.resolve("data/train.jsonl"), "{}");

        List<String> all = UploadCommand.collect(dir, "", PathFilter.ALL).stream().map(LocalFile::pathInRepo).toList();
        assertThat(all).containsExactly("a.safetensors", "b.json", "data/.cache/kept.txt", "data/train.jsonl");

        List<String> under = UploadCommand.collect(dir, "sub/dir", new PathFilter(List.of("*.json*"), List.of()))
                .stream().map(LocalFile::pathInRepo).toList();
        assertThat(under).containsExactly("sub/dir/b.json", "sub/dir/data/train.jsonl");
    }

    @Test
    void aPathInRepoIsTakenAsHuggingfaceHubTakesIt() {
        assertThat(UploadCommand.asRepoPath("/weights/")).isEqualTo("weights");
        assertThat(UploadCommand.asRepoPath("./weights/adapter.safetensors")).isEqualTo("weights/adapter.safetensors");
        assertThat(UploadCommand.asRepoPath(".")).isEmpty();
        assertThat(UploadCommand.asRepoPath("./")).isEmpty();
        assertThatThrownBy(() -> UploadCommand.asRepoPath("a//b")).isInstanceOf(HubException.class);
    }
}

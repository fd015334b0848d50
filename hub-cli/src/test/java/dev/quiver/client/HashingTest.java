package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashingTest {
    @Test
    void gitBlobIdsAndSha256MatchGitAndSha256sum(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("hello.txt");
        Files.writeString(f, "hello\n");
        // `git hash-object hello.txt` and `sha256sum hello.txt`
        assertThat(Hashing.gitBlobSha1(f)).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
        assertThat(Hashing.gitBlobSha1("hello\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
        assertThat(Hashing.sha256(f)).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertThat(Hashing.gitBlobSha1(empty)).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assertThat(Hashing.forEtag("a".repeat(64), 0).getAlgorithm()).isEqualTo("SHA-256");
        assertThat(Hashing.forEtag("a".repeat(40), 0).getAlgorithm()).isEqualTo("SHA-1");
    }
}

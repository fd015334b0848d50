package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirMetadataTest {
    static final String ETAG = "c".repeat(40);

    @Test
    void aFileIsCurrentOnlyWhileItMatchesItsRecordedEtagAndIsUntouched(@TempDir Path dir) throws Exception {
        LocalDirMetadata m = new LocalDirMetadata(dir);
        Path file = m.file("data/a.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hello");
        assertThat(m.isCurrent("data/a.txt", ETAG, 5)).isFalse();
        m.record("data/a.txt", "0".repeat(40), ETAG);
        assertThat(Files.readAllLines(dir.resolve(".cache/huggingface/download/data/a.txt.metadata")))
                .hasSize(3).first().isEqualTo("0".repeat(40));
        assertThat(m.isCurrent("data/a.txt", ETAG, 5)).isTrue();
        assertThat(m.isCurrent("data/a.txt", "d".repeat(40), 5)).isFalse();
        assertThat(m.isCurrent("data/a.txt", ETAG, 6)).isFalse();
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(m.isCurrent("data/a.txt", ETAG, 5)).isFalse();
    }

    @Test
    void partialFilesSitBesideTheMetadataWithHuggingfaceHubsNames(@TempDir Path dir) {
        Path incomplete = new LocalDirMetadata(dir).incomplete("data/a.txt", ETAG);
        assertThat(incomplete.getParent()).isEqualTo(dir.resolve(".cache/huggingface/download/data"));
        assertThat(incomplete.getFileName().toString()).endsWith("." + ETAG + ".incomplete").doesNotContain("/");
    }
}

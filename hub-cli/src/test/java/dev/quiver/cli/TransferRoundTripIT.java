package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload and download through the CLI against a real hub: byte-exact, LFS and multipart, cache reuse. */
class TransferRoundTripIT {
    static TestHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** A folder with an empty file, small text, a small binary (LFS by .gitattributes) and a multipart-sized file. */
    static Path sampleFolder(Path dir, long bigSize) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("data/deep"));
        Files.createDirectories(src.resolve("weights"));
        Files.writeString(src.resolve("README.md"), "---\nlicense: mit\n---\n# Sample\n");
        Files.writeString(src.resolve("data/notes.txt"), "some notes\n".repeat(100));
        Files.write(src.resolve("empty.txt"), new byte[0]);
        Files.write(src.resolve("data/deep/blob.bin"), random(3000, 1));
        Files.write(src.resolve("weights/big.bin"), random(bigSize, 2));
        return src;
    }

    static byte[] random(long size, long seed) {
        byte[] b = new byte[Math.toIntExact(size)];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aFolderWithSmallAndLargeFilesRoundTripsByteExactAndASecondDownloadTransfersNothing(@TempDir Path dir) throws IOException {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        assertThat(cli.run("repo", "create", "admin/round-trip").exit()).isZero();
        Path src = sampleFolder(dir, (64L << 20) + 4097);

        Cli.Result up = cli.run("upload", "admin/round-trip", src.toString(), "-m", "First upload", "--json");
        assertThat(up.exit()).as(up.toString()).isZero();
        JsonNode commit = up.json();
        assertThat(commit.path("committed").asBoolean()).isTrue();
        assertThat(commit.path("filesChanged").asInt()).isEqualTo(5);
        assertThat(commit.path("lfsUploaded").asInt()).isEqualTo(2);

        Cli.Result ls = cli.run("ls", "admin/round-trip", "-R", "--json");
        assertThat(ls.exit()).as(ls.toString()).isZero();
        assertThat(ls.json().findValuesAsText("path")).contains("weights/big.bin", "data/deep/blob.bin", "empty.txt");

        Cli.Result down = cli.run("download", "admin/round-trip", "--json");
        assertThat(down.exit()).as(down.toString()).isZero();
        Path snapshot = Path.of(down.json().path("path").asText());
        assertThat(snapshot).isEqualTo(cli.cache().resolve("models--admin--round-trip/snapshots/"
                + commit.path("commitOid").asText()));
        assertSameFiles(src, snapshot);
        assertThat(Files.isSymbolicLink(snapshot.resolve("weights/big.bin"))).isTrue();
        assertThat(Files.readString(cli.cache().resolve("models--admin--round-trip/refs/main")))
                .isEqualTo(commit.path("commitOid").asText());

        Cli.Result again = cli.run("download", "admin/round-trip", "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().path("fetched").asInt()).isZero();
        assertThat(again.json().path("bytesFetched").asLong()).isZero();
        assertSameFiles(src, snapshot);

        Cli.Result unchanged = cli.run("upload", "admin/round-trip", src.toString(), "--json");
        assertThat(unchanged.exit()).as(unchanged.toString()).isZero();
        assertThat(unchanged.json().path("committed").asBoolean()).isFalse();
        assertThat(unchanged.json().path("commitOid").asText()).isEqualTo(commit.path("commitOid").asText());
    }

    @Test
    void aLocalDirDownloadWritesPlainFilesAndKeepsHuggingfaceHubsBookkeeping(@TempDir Path dir) throws IOException {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        cli.run("repo", "create", "admin/local-dir");
        Path src = sampleFolder(dir, 5_000_000);
        assertThat(cli.run("upload", "admin/local-dir", src.toString()).exit()).isZero();

        Path target = dir.resolve("out");
        Cli.Result down = cli.run("download", "admin/local-dir", "--local-dir", target.toString(), "--exclude", "*.md");
        assertThat(down.exit()).as(down.toString()).isZero();
        assertThat(target.resolve("README.md")).doesNotExist();
        assertThat(Files.isSymbolicLink(target.resolve("weights/big.bin"))).isFalse();
        assertThat(Files.readAllBytes(target.resolve("weights/big.bin"))).isEqualTo(Files.readAllBytes(src.resolve("weights/big.bin")));
        assertThat(target.resolve(".cache/huggingface/download/weights/big.bin.metadata")).exists();

        Cli.Result again = cli.run("download", "admin/local-dir", "--local-dir", target.toString(), "--exclude", "*.md", "--json");
        assertThat(again.json().path("fetched").asInt()).isZero();
    }

    @Test
    void singleFilesGoToTheirSnapshotPathAndIncludeGlobsPickFiles(@TempDir Path dir) throws IOException {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        cli.run("repo", "create", "admin/single");
        Path src = sampleFolder(dir, 1000);
        assertThat(cli.run("upload", "admin/single", src.toString()).exit()).isZero();

        Cli.Result one = cli.run("download", "admin/single", "data/notes.txt");
        assertThat(one.exit()).as(one.toString()).isZero();
        Path file = Path.of(one.out().strip());
        assertThat(file.toString()).endsWith("/snapshots/" + file.getParent().getParent().getFileName() + "/data/notes.txt");
        assertThat(Files.readString(file)).isEqualTo(Files.readString(src.resolve("data/notes.txt")));

        Cli.Result globbed = cli.run("download", "admin/single", "--include", "data/", "--json");
        Path snapshot = Path.of(globbed.json().path("path").asText());
        assertThat(snapshot.resolve("data/deep/blob.bin")).exists();
        assertThat(snapshot.resolve("README.md")).doesNotExist();
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expected)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            Path other = actual.resolve(expected.relativize(f).toString());
            assertThat(Files.readAllBytes(other)).as(other.toString()).isEqualTo(Files.readAllBytes(f));
        }
        try (Stream<Path> walk = Files.walk(actual)) {
            // the hub adds .gitattributes in every new repo's first commit
            assertThat(walk.filter(Files::isRegularFile).map(p -> actual.relativize(p).toString())
                    .filter(p -> !p.equals(".gitattributes")).count()).isEqualTo(files.size());
        }
        assertThat(new String(Files.readAllBytes(actual.resolve("README.md")), StandardCharsets.UTF_8)).contains("# Sample");
    }
}

package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache {@code quiver download} fills is the Hugging Face cache: the official
 * {@code @huggingface/hub} scanner ({@code scanCacheDir}) reads it without a warning, and a second
 * download of a new revision fetches only the blob that changed.
 */
class HfCacheScanIT {
    static final Path JS = Path.of("src/test/js").toAbsolutePath();
    static TestHub hub;

    @BeforeAll
    static void start() {
        assertThat(JS.resolve("node_modules/@huggingface/hub")).as("run scripts/install-test-deps first").exists();
        hub = TestHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void theOfficialScannerRecognisesTheSnapshotAndASecondRevisionReusesUnchangedBlobs(@TempDir Path dir) throws Exception {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        cli.run("repo", "create", "admin/scan");
        Path src = TransferRoundTripIT.sampleFolder(dir, 2_000_000);
        String first = cli.run("upload", "admin/scan", src.toString(), "--json").json().path("commitOid").asText();
        assertThat(cli.run("download", "admin/scan").exit()).isZero();
        cli.run("repo", "create", "admin/scan-data", "--repo-type", "dataset");
        assertThat(cli.run("upload", "admin/scan-data", src.toString(), "--repo-type", "dataset").exit()).isZero();
        assertThat(cli.run("download", "admin/scan-data", "--repo-type", "dataset").exit()).isZero();

        JsonNode scan = scan(cli.cache());
        assertThat(scan.path("warnings")).as(scan.toString()).isEmpty();
        JsonNode model = repo(scan, "model", "admin/scan");
        JsonNode revision = model.path("revisions").get(0);
        assertThat(revision.path("commitOid").asText()).isEqualTo(first);
        assertThat(revision.path("refs").toString()).isEqualTo("[\"main\"]");
        List<String> names = new ArrayList<>();
        revision.path("files").forEach(f -> names.add(f.path("name").asText()));
        assertThat(names).contains("README.md", "empty.txt", ".gitattributes");
        for (JsonNode f : revision.path("files")) {
            if (f.path("name").asText().equals("README.md")) {
                assertThat(f.path("size").asLong()).isEqualTo(Files.size(src.resolve("README.md")));
            }
        }
        assertThat(repo(scan, "dataset", "admin/scan-data").path("revisions").get(0).path("refs").get(0).asText())
                .isEqualTo("main");

        Files.writeString(src.resolve("README.md"), "---\nlicense: mit\n---\n# Sample, second edition\n");
        String second = cli.run("upload", "admin/scan", src.toString(), "--json").json().path("commitOid").asText();
        Cli.Result again = cli.run("download", "admin/scan", "--json");
        assertThat(again.json().path("commit").asText()).isEqualTo(second);
        assertThat(again.json().path("fetched").asInt()).isEqualTo(1);
        assertThat(again.json().path("bytesFetched").asLong()).isEqualTo(Files.size(src.resolve("README.md")));

        JsonNode rescan = scan(cli.cache());
        assertThat(rescan.path("warnings")).isEmpty();
        JsonNode both = repo(rescan, "model", "admin/scan");
        assertThat(both.path("revisions")).hasSize(2);
        for (JsonNode r : both.path("revisions")) {
            assertThat(r.path("refs").toString()).isEqualTo(r.path("commitOid").asText().equals(second) ? "[\"main\"]" : "[]");
        }
    }

    static JsonNode repo(JsonNode scan, String type, String name) {
        for (JsonNode r : scan.path("repos")) {
            if (r.path("type").asText().equals(type) && r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("scanCacheDir did not find " + type + " " + name + ": " + scan);
    }

    @Test
    void withHfHubOfflineTheCacheAnswersAloneAndWhatIsMissingIsNamed(@TempDir Path dir) throws Exception {
        Cli cli = Cli.against(hub.url(), hub.token(), dir);
        cli.run("repo", "create", "admin/offline");
        Path src = TransferRoundTripIT.sampleFolder(dir, 100_000);
        assertThat(cli.run("upload", "admin/offline", src.toString()).exit()).isZero();
        Cli.Result online = cli.run("download", "admin/offline", "--exclude", "weights/*", "--json");
        assertThat(online.exit()).as(online.toString()).isZero();
        Path folder = Path.of(online.json().path("path").asText());
        Cli.Result copy = cli.run("download", "admin/offline", "README.md", "--local-dir", dir.resolve("copy").toString());
        assertThat(copy.exit()).as(copy.toString()).isZero();

        // no hub at all: the endpoint refuses connections
        Cli offline = cli.with("QUIVER_ENDPOINT", "http://127.0.0.1:1").with("HF_HUB_OFFLINE", "1");
        Cli.Result snapshot = offline.run("download", "admin/offline", "--json");
        assertThat(snapshot.exit()).as(snapshot.toString()).isZero();
        assertThat(snapshot.json().path("path").asText()).isEqualTo(folder.toString());
        assertThat(snapshot.json().path("commit").asText()).isEqualTo(online.json().path("commit").asText());
        assertThat(snapshot.json().path("fetched").asInt()).isZero();
        Cli.Result file = offline.run("download", "admin/offline", "README.md", "--revision",
                online.json().path("commit").asText());
        assertThat(file.exit()).as(file.toString()).isZero();
        assertThat(Path.of(file.out().strip())).isEqualTo(folder.resolve("README.md")).isRegularFile();
        Cli.Result local = offline.run("download", "admin/offline", "README.md", "--local-dir",
                dir.resolve("copy").toString());
        assertThat(local.out().strip()).isEqualTo(dir.resolve("copy/README.md").toString());

        Cli.Result excluded = offline.run("download", "admin/offline", "weights/big.bin");
        assertThat(excluded.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(excluded.err()).contains("'weights/big.bin' of admin/offline at main is not in " + cli.cache(),
                "HF_HUB_OFFLINE is set");
        Cli.Result otherRevision = offline.run("download", "admin/offline", "--revision", "v9");
        assertThat(otherRevision.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(otherRevision.err()).contains("admin/offline at v9 is not in");
        assertThat(offline.run("download", "admin/offline", "--force").exit()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    static JsonNode scan(Path cache) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", JS.resolve("scan-cache.mjs").toString(), cache.toString())
                .directory(JS.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return Json.mapper().readTree(out);
    }
}

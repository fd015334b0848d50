package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.TestHub;
import java.nio.ByteBuffer;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands besides transfers, against a real hub: login, repos, history, refs, info, search; JSON that parses. */
class CommandsIT {
    static TestHub hub;
    @TempDir
    static Path dir;
    static Cli cli;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
        cli = Cli.against(hub.url(), hub.token(), dir);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void loginSavesAPrivateFileThatLaterCommandsUseAndLogoutRemoves(@TempDir Path home) throws Exception {
        Cli bare = Cli.against(hub.url(), hub.token(), home).without("QUIVER_ENDPOINT").without("QUIVER_TOKEN");
        Cli.Result login = bare.stdin(hub.token() + "\n").run("login", "--endpoint", hub.url());
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.out()).contains("as admin");
        Path saved = home.resolve("quiver-home/config.json");
        assertThat(Files.getPosixFilePermissions(saved))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

        Cli.Result who = bare.run("whoami", "--json");
        assertThat(who.exit()).as(who.toString()).isZero();
        assertThat(who.json().path("user").path("name").asText()).isEqualTo("admin");
        assertThat(who.json().path("endpoint").asText()).isEqualTo(hub.url());

        // the saved token is never sent to another hub
        Cli.Result elsewhere = bare.with("QUIVER_ENDPOINT", "http://127.0.0.1:1").run("whoami");
        assertThat(elsewhere.exit()).isEqualTo(ExitCodes.UNAUTHORIZED);

        assertThat(bare.run("logout").exit()).isZero();
        assertThat(saved).doesNotExist();
        assertThat(bare.run("whoami").exit()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void aRefusedTokenIsNotSaved(@TempDir Path home) {
        Cli bare = Cli.against(hub.url(), hub.token(), home).without("QUIVER_TOKEN");
        Cli.Result r = bare.run("login", "--token", "hf_wrong0000000000000000000000");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(home.resolve("quiver-home/config.json")).doesNotExist();
    }

    @Test
    void historyBranchesAndTagsListAsTablesAndJson() throws Exception {
        cli.run("repo", "create", "admin/history");
        Path f = dir.resolve("history.txt");
        Files.writeString(f, "one");
        cli.run("upload", "admin/history", f.toString(), "-m", "First");
        Files.writeString(f, "two");
        cli.run("upload", "admin/history", f.toString(), "-m", "Second");

        Cli.Result log = cli.run("log", "admin/history", "--json");
        assertThat(log.exit()).as(log.toString()).isZero();
        assertThat(log.json().get(0).path("title").asText()).isEqualTo("Second");
        assertThat(log.json().get(1).path("title").asText()).isEqualTo("First");
        assertThat(log.json().get(0).path("authors").get(0).asText()).isEqualTo("admin");
        assertThat(cli.run("log", "admin/history", "-n", "1", "--json").json()).hasSize(1);
        Cli.Result table = cli.run("log", "admin/history");
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("COMMIT").contains("TITLE");
        assertThat(table.out()).contains("Second", "First");

        String first = log.json().get(1).path("id").asText();
        assertThat(cli.run("branch", "create", "admin/history", "old", "--from", first).exit()).isZero();
        assertThat(cli.run("tag", "create", "admin/history", "v1", "-m", "release").exit()).isZero();
        JsonNode branches = cli.run("branch", "list", "admin/history", "--json").json();
        assertThat(branches.findValuesAsText("name")).containsExactlyInAnyOrder("main", "old");
        for (JsonNode b : branches) {
            if (b.path("name").asText().equals("old")) {
                assertThat(b.path("targetCommit").asText()).isEqualTo(first);
            }
        }
        JsonNode tags = cli.run("tag", "list", "admin/history", "--json").json();
        assertThat(tags.findValuesAsText("name")).containsExactly("v1");

        Files.writeString(f, "three");
        Cli.Result onBranch = cli.run("upload", "admin/history", f.toString(), "--revision", "old", "-m", "On old");
        assertThat(onBranch.exit()).as(onBranch.toString()).isZero();
        assertThat(cli.run("log", "admin/history", "--revision", "old", "--json").json().get(0).path("title").asText())
                .isEqualTo("On old");
        assertThat(cli.run("download", "admin/history", "history.txt", "--revision", "v1").exit()).isZero();

        assertThat(cli.run("tag", "delete", "admin/history", "v1").exit()).isZero();
        assertThat(cli.run("branch", "delete", "admin/history", "old").exit()).isZero();
        assertThat(cli.run("branch", "list", "admin/history", "--json").json().findValuesAsText("name")).containsExactly("main");
    }

    @Test
    void anUploadCanOpenAPullRequestAndDeleteStaleFiles() throws Exception {
        cli.run("repo", "create", "admin/pr");
        Path src = dir.resolve("pr-src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("keep.txt"), "keep");
        Files.writeString(src.resolve("stale.log"), "old");
        assertThat(cli.run("upload", "admin/pr", src.toString()).exit()).isZero();

        Files.delete(src.resolve("stale.log"));
        Files.writeString(src.resolve("keep.txt"), "changed");
        Cli.Result pr = cli.run("upload", "admin/pr", src.toString(), "--create-pr", "--delete", "*.log", "--json");
        assertThat(pr.exit()).as(pr.toString()).isZero();
        assertThat(pr.json().path("pullRequestUrl").asText()).matches(".*/discussions/\\d+$");
        assertThat(cli.run("ls", "admin/pr", "--json").json().findValuesAsText("path")).contains("stale.log");

        Cli.Result direct = cli.run("upload", "admin/pr", src.toString(), "--delete", "*.log");
        assertThat(direct.exit()).as(direct.toString()).isZero();
        assertThat(cli.run("ls", "admin/pr", "--json").json().findValuesAsText("path")).doesNotContain("stale.log");
    }

    @Test
    void anUploadCreatesAMissingRepoAndBranchAsHfUploadDoes() throws Exception {
        Path src = dir.resolve("auto-src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("adapter_config.json"), "{}");
        cli.run("repo", "delete", "admin/auto-made", "--yes", "--missing-ok");
        Cli.Result made = cli.run("upload", "admin/auto-made", src.toString());
        assertThat(made.exit()).as(made.toString()).isZero();
        assertThat(made.err()).contains("Created model repo admin/auto-made.");
        Cli.Result again = cli.run("upload", "admin/auto-made", src.resolve("adapter_config.json").toString(), "b.json",
                "--revision", "dev");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.err()).contains("Created branch dev of admin/auto-made.").doesNotContain("Created model repo");
        assertThat(cli.run("ls", "admin/auto-made", "--revision", "dev", "--json").json().findValuesAsText("path"))
                .contains("adapter_config.json", "b.json");
        assertThat(cli.run("ls", "admin/auto-made", "--json").json().findValuesAsText("path")).doesNotContain("b.json");

        cli.run("repo", "delete", "admin/auto-secret", "--repo-type", "dataset", "--yes", "--missing-ok");
        Cli.Result secret = cli.run("upload", "admin/auto-secret", src.toString(), "--repo-type", "dataset", "--private");
        assertThat(secret.err()).as(secret.toString()).contains("Created private dataset repo admin/auto-secret.");
        assertThat(cli.without("QUIVER_TOKEN").run("ls", "admin/auto-secret", "--repo-type", "dataset").exit())
                .isEqualTo(ExitCodes.NOT_FOUND);

        // a token limited to one repo may not create any, yet uploads to its own
        cli.run("repo", "create", "admin/scoped", "--exist-ok");
        HttpResponse<String> t = hub.postJson("/api/settings/tokens",
                "{\"name\":\"ci\",\"role\":\"write\",\"repos\":[\"admin/scoped\"]}");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        Cli scoped = cli.with("QUIVER_TOKEN", Json.mapper().readTree(t.body()).path("token").asText());
        Cli.Result own = scoped.run("upload", "admin/scoped", src.toString());
        assertThat(own.exit()).as(own.toString()).isZero();
        Cli.Result other = scoped.run("upload", "admin/not-mine", src.toString());
        assertThat(other.exit()).as(other.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
    }

    @Test
    void infoOnAnAdapterNamesItsBaseRankTargetsAndShareOfTheBase() throws Exception {
        cli.run("repo", "create", "admin/tiny-base");
        Path base = dir.resolve("base");
        Files.createDirectories(base);
        new SafetensorsWriter().add("model.layers.0.self_attn.q_proj.weight", Dtype.F32, new long[] {16, 16}, zeros(256))
                .add("model.layers.0.self_attn.v_proj.weight", Dtype.F32, new long[] {16, 16}, zeros(256))
                .write(base.resolve("model.safetensors"));
        Files.writeString(base.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":16}");
        Cli.Result baseUp = cli.run("upload", "admin/tiny-base", base.toString(), "--json");
        assertThat(baseUp.exit()).as(baseUp.toString()).isZero();
        String baseCommit = baseUp.json().path("commitOid").asText();

        cli.run("repo", "create", "admin/tiny-lora");
        Path lora = dir.resolve("lora");
        Files.createDirectories(lora);
        Files.writeString(lora.resolve("adapter_config.json"), "{\"peft_type\":\"LORA\",\"base_model_name_or_path\":"
                + "\"admin/tiny-base\",\"revision\":\"" + baseCommit + "\",\"task_type\":\"CAUSAL_LM\",\"r\":4,"
                + "\"lora_alpha\":8,\"target_modules\":[\"q_proj\",\"v_proj\"]}");
        SafetensorsWriter weights = new SafetensorsWriter();
        for (String m : new String[] {"q_proj", "v_proj"}) {
            String prefix = "base_model.model.model.layers.0.self_attn." + m;
            weights.add(prefix + ".lora_A.weight", Dtype.F32, new long[] {4, 16}, zeros(64));
            weights.add(prefix + ".lora_B.weight", Dtype.F32, new long[] {16, 4}, zeros(64));
        }
        weights.write(lora.resolve("adapter_model.safetensors"));
        Files.writeString(lora.resolve("README.md"), "---\nbase_model: admin/tiny-base\nlibrary_name: peft\n---\n# LoRA\n");
        Cli.Result up = cli.run("upload", "admin/tiny-lora", lora.toString());
        assertThat(up.exit()).as(up.toString()).isZero();

        Cli.Result info = cli.run("info", "admin/tiny-lora", "--json");
        assertThat(info.exit()).as(info.toString()).isZero();
        JsonNode adapter = info.json().path("adapter");
        assertThat(adapter.path("baseModel").asText()).isEqualTo("admin/tiny-base");
        assertThat(adapter.path("baseRevision").asText()).isEqualTo(baseCommit);
        assertThat(adapter.path("r").asInt()).isEqualTo(4);
        assertThat(adapter.path("alpha").asDouble()).isEqualTo(8.0);
        assertThat(adapter.path("targetModules").toString()).isEqualTo("[\"q_proj\",\"v_proj\"]");
        assertThat(adapter.path("parameters").asLong()).isEqualTo(256);
        assertThat(adapter.path("baseParameters").asLong()).isEqualTo(512);
        assertThat(info.json().path("size").asLong()).isPositive();

        Cli.Result text = cli.run("info", "admin/tiny-lora");
        assertThat(text.out()).contains("r=4, alpha=8, targets q_proj, v_proj", "admin/tiny-base @ " + baseCommit,
                "256 parameters (50.0000% of the base's 512)", "verification:");
    }

    @Test
    void infoOnADatasetListsFilesAndRowsFromTheCard() throws Exception {
        cli.run("repo", "create", "admin/qa", "--repo-type", "dataset");
        Path data = dir.resolve("qa");
        Files.createDirectories(data.resolve("data"));
        Files.writeString(data.resolve("data/train.jsonl"), "{\"q\":\"a\",\"a\":\"b\"}\n".repeat(3));
        Files.writeString(data.resolve("README.md"), "---\ndataset_info:\n  splits:\n  - name: train\n    num_examples: 3\n"
                + "  - name: test\n    num_examples: 1\n---\n# QA\n");
        assertThat(cli.run("upload", "admin/qa", data.toString(), "--repo-type", "dataset").exit()).isZero();

        Cli.Result info = cli.run("info", "admin/qa", "--repo-type", "dataset");
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains("(dataset, public)", "train 3; test 1", "data/train.jsonl");
        JsonNode json = cli.run("info", "admin/qa", "--repo-type", "dataset", "--json").json();
        assertThat(json.path("rows").path("train").asLong()).isEqualTo(3);
        assertThat(json.path("files").findValuesAsText("path")).contains("data/train.jsonl", "README.md");
    }

    @Test
    void reposAreListedSearchedAndConfigured() throws Exception {
        cli.run("repo", "create", "admin/findable-lora");
        // listings come from the search index, which catches up with a write within moments
        assertThat(eventually("repo", "list", "--json").findValuesAsText("id")).contains("admin/findable-lora");
        assertThat(eventually("search", "findable", "--json").findValuesAsText("id")).contains("admin/findable-lora");
        assertThat(cli.run("search", "findable").out()).contains("ID", "admin/findable-lora");

        Cli.Result settings = cli.run("repo", "settings", "admin/findable-lora", "--private", "--json");
        assertThat(settings.exit()).as(settings.toString()).isZero();
        assertThat(settings.json().path("private").asBoolean()).isTrue();
        assertThat(cli.without("QUIVER_TOKEN").run("info", "admin/findable-lora").exit()).isEqualTo(ExitCodes.NOT_FOUND);

        assertThat(cli.run("repo", "delete", "admin/findable-lora", "--yes").exit()).isZero();
        assertThat(cli.run("info", "admin/findable-lora").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("repo", "delete", "admin/findable-lora", "--yes", "--missing-ok").exit()).isZero();
    }

    @Test
    void lsShowsSizesAndLfsMarks() throws Exception {
        cli.run("repo", "create", "admin/listing");
        Path src = TransferRoundTripIT.sampleFolder(dir.resolve("listing"), 11_000_000);
        cli.run("upload", "admin/listing", src.toString());
        Cli.Result ls = cli.run("ls", "admin/listing");
        assertThat(ls.exit()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("data/", "weights/", "README.md");
        Cli.Result deep = cli.run("ls", "admin/listing", "weights");
        assertThat(deep.out()).containsPattern("10\\.5 MiB\\s+LFS\\s+weights/big.bin");
        JsonNode json = cli.run("ls", "admin/listing", "-R", "--json").json();
        for (JsonNode e : json) {
            if (e.path("path").asText().equals("weights/big.bin")) {
                assertThat(e.path("lfs").path("size").asLong()).isEqualTo(11_000_000);
            }
        }
    }

    /** Runs a listing until it names admin/findable-lora (or 5 seconds pass) and returns the last answer. */
    static JsonNode eventually(String... args) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 50; i++) {
            Cli.Result r = cli.run(args);
            assertThat(r.exit()).as(r.toString()).isZero();
            last = r.json();
            if (last.findValuesAsText("id").contains("admin/findable-lora")) {
                break;
            }
            Thread.sleep(100);
        }
        return last;
    }

    static ByteBuffer zeros(int floats) {
        return ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
    }
}

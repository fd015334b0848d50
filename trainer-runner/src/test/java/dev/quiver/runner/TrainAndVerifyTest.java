package dev.quiver.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.schema.safetensors.TensorInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on a tiny generated Llama and a small support Q&A dataset. */
class TrainAndVerifyTest {
    static final Path DATA = Path.of("src/test/resources/data/support-qa.jsonl").toAbsolutePath();
    @TempDir static Path dir;
    static Path base;

    @BeforeAll
    static void tinyModel() {
        base = dir.resolve("tiny-llama");
        assertThat(run("model", "init-tiny", base.toString(), "--arch", "llama", "--layers", "2", "--hidden", "64",
                "--heads", "4", "--kv-heads", "2", "--seed", "1")).isZero();
    }

    static int run(String... args) {
        return Main.commandLine().execute(args);
    }

    /** The CLI in its own JVM with the test JVM's classpath and DJL settings; its output goes to the test's. */
    static int runInNewJvm(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "2"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "train-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) ? p.exitValue() : -1;
        p.destroyForcibly();
        System.out.print(Files.readString(log));
        return code;
    }

    static String[] train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--base", base.toString(), "--data", DATA.toString(),
                "--out", out.toString(), "--format", "qa", "--eval-fraction", "0.2", "--r", "8", "--alpha", "16",
                "--target-modules", "all-linear", "--epochs", "8", "--lr", "1e-2", "--batch-size", "8", "--max-length", "128",
                "--warmup-ratio", "0.1", "--seed", "7", "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainingLowersEvalLossAndWritesAPeftFolderThatVerifies() throws Exception {
        Path out = dir.resolve("adapter");
        assertThat(run(train(out))).isZero();

        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        double before = metrics.get("eval_loss_base").asDouble();
        double after = metrics.get("eval_loss").asDouble();
        assertThat(after).as("eval loss %s -> %s", before, after).isLessThan(before * 0.6);
        assertThat(metrics.get("history").size()).isEqualTo(metrics.get("steps").asInt());

        SafetensorsHeader header = SafetensorsReader.readHeader(out.resolve("adapter_model.safetensors"));
        assertThat(header.metadata()).containsEntry("format", "pt");
        assertThat(header.tensors()).hasSize(2 * 2 * 7);
        TensorInfo a = header.tensor("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").orElseThrow();
        TensorInfo b = header.tensor("base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight").orElseThrow();
        assertThat(a.shape()).containsExactly(8L, 64L);
        assertThat(b.shape()).containsExactly(32L, 8L);
        assertThat(header.tensor("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight").orElseThrow().shape())
                .containsExactly(8L, 176L);

        JsonNode config = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertThat(config.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(config.get("task_type").asText()).isEqualTo("CAUSAL_LM");
        assertThat(config.get("r").asInt()).isEqualTo(8);
        assertThat(config.get("lora_alpha").asDouble()).isEqualTo(16.0);
        assertThat(config.get("fan_in_fan_out").asBoolean()).isFalse();
        assertThat(config.get("base_model_name_or_path").asText()).isEqualTo("tiny-llama");
        assertThat(config.get("target_modules")).hasSize(7);

        StringWriter report = new StringWriter();
        var cl = Main.commandLine();
        PrintWriter saved = new PrintWriter(System.out, true);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(captured, true, "UTF-8"));
        int code;
        try {
            code = cl.execute("verify", "--base", base.toString(), "--adapter", out.toString(), "--data", DATA.toString());
        } finally {
            System.setOut(old);
        }
        JsonNode json = new ObjectMapper().readTree(captured.toString("UTF-8"));
        assertThat(json.get("checks").findValuesAsText("name")).contains("tensors-map-to-base", "rank-matches-config",
                "finite-values", "merged-matches-unmerged", "eval-loss-improves", "greedy-sample");
        assertThat(json.get("checks").findValuesAsText("status")).containsOnly("PASS");
        assertThat(code).isZero();
    }

    /** Two runs of {@code quiver train}, each in a fresh JVM as a user would start them. */
    @Test
    void sameSeedGivesTheSameAdapterBytes() throws Exception {
        Path one = dir.resolve("det-1");
        Path two = dir.resolve("det-2");
        assertThat(runInNewJvm(train(one, "--max-steps", "3"))).isZero();
        assertThat(runInNewJvm(train(two, "--max-steps", "3"))).isZero();
        assertThat(Files.readAllBytes(one.resolve("adapter_model.safetensors")))
                .isEqualTo(Files.readAllBytes(two.resolve("adapter_model.safetensors")));
    }

    @Test
    void aBrokenRowNamesRowAndColumnAndLeavesNoOutput() throws Exception {
        Path data = dir.resolve("broken.jsonl");
        Files.writeString(data, "{\"question\":\"a?\",\"answer\":\"b\"}\n{\"question\":\"c?\"}\n");
        Path out = dir.resolve("broken-out");
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        String[] args = train(out);
        args[4] = data.toString();
        assertThat(cl.execute(args)).isEqualTo(2);
        assertThat(err.toString()).contains("broken.jsonl row 2: column 'answer' is missing");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("broken-out") || n.startsWith(".broken-out"));
        }
    }
}

package dev.quiver.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.runner.model.Architecture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quiver train} on damaged models, bad data and impossible settings: every case exits 2
 * with one {@code error:} line saying what to do, and leaves neither the output folder nor a
 * partial one behind.
 */
class TrainHostileInputTest {
    static final Path DATA = Path.of("src/test/resources/data/support-qa.jsonl").toAbsolutePath();
    @TempDir static Path dir;
    static Path llama;
    static Path gpt2;

    @BeforeAll
    static void models() throws Exception {
        llama = TestModels.tiny(dir.resolve("llama"), Architecture.LLAMA, 32, 4, 2);
        gpt2 = TestModels.tiny(dir.resolve("gpt2"), Architecture.GPT2, 32, 4, 4);
    }

    record Outcome(int exitCode, String err, Path out) {}

    /** Runs {@code quiver train} with small settings; {@code options} (name, value, ...) replace the defaults. */
    static Outcome train(Path base, Path data, String... options) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        Map<String, String> settings = new LinkedHashMap<>(Map.of("--base", base.toString(), "--data", data.toString(),
                "--out", out.toString(), "--format", "qa", "--max-steps", "1", "--batch-size", "4", "--max-length", "64"));
        for (int i = 0; i < options.length; i += 2) {
            settings.put(options[i], options[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("train", "--quiet"));
        settings.forEach((k, v) -> args.addAll(List.of(k, v)));
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        return new Outcome(code, err.toString(), out);
    }

    /** A clear error, and nothing half-written next to where the adapter would have gone. */
    static void assertRefused(Outcome o, String... fragments) throws Exception {
        assertThat(o.exitCode()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).startsWith("error: ").contains(fragments);
        assertThat(o.err().strip().lines()).hasSize(1);
        String name = o.out().getFileName().toString();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(name));
        }
    }

    @Test
    void aTruncatedBaseModelSaysToDownloadItAgain() throws Exception {
        Path base = TestModels.copy(llama, dir.resolve("cut-tail"));
        TestModels.truncate(base.resolve("model.safetensors"), 100);
        assertRefused(train(base, DATA), "model.safetensors", "cut short", "download it again");
    }

    @Test
    void aBaseModelCutInsideItsHeaderSaysToDownloadItAgain() throws Exception {
        Path base = TestModels.copy(llama, dir.resolve("cut-header"));
        Path weights = base.resolve("model.safetensors");
        TestModels.truncate(weights, Files.size(weights) - 20);
        assertRefused(train(base, DATA), "model.safetensors", "download it again");
    }

    @Test
    void nanWeightsInTheBaseAreNamedByTensor() throws Exception {
        Path base = TestModels.copy(llama, dir.resolve("nan-base"));
        TestModels.rewriteTensor(base.resolve("model.safetensors"), "model.layers.1.mlp.up_proj.weight", v -> {
            v[3] = Float.NaN;
            v[7] = Float.POSITIVE_INFINITY;
            return v;
        });
        assertRefused(train(base, DATA), "model.layers.1.mlp.up_proj.weight holds 2 NaN or infinite values",
                "download the model again");
    }

    @Test
    void weightsThatDoNotFitConfigJsonAreNamedByTensor() throws Exception {
        Path base = TestModels.copy(llama, dir.resolve("other-config"));
        Path config = base.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"intermediate_size\" : 88", "\"intermediate_size\" : 96"));
        assertRefused(train(base, DATA),
                "model.layers.0.mlp.gate_proj.weight has shape (88, 32) but config.json implies (96, 32)",
                "belong to different models");
    }

    @Test
    void aMissingBaseTensorIsNamed() throws Exception {
        Path base = TestModels.copy(gpt2, dir.resolve("no-ln-f"));
        TestModels.dropTensor(base.resolve("model.safetensors"), "transformer.ln_f.bias");
        assertRefused(train(base, DATA), "no tensor transformer.ln_f.bias");
    }

    @Test
    void aBrokenDatasetRowStopsTheRun() throws Exception {
        Path data = dir.resolve("broken.jsonl");
        Files.writeString(data, Files.readString(DATA) + "{\"question\": \"cut off\n");
        assertRefused(train(llama, data), "broken.jsonl row 61: not valid JSON", "fix or remove that line");
    }

    @Test
    void anEmptyDatasetStopsTheRun() throws Exception {
        Path data = Files.writeString(dir.resolve("empty.jsonl"), "");
        assertRefused(train(llama, data), "the dataset [empty.jsonl] has no rows");
    }

    @Test
    void aTemplateNamingAMissingColumnStopsTheRun() throws Exception {
        assertRefused(train(llama, DATA, "--format", "template", "--template", "Q: {question} A: {reply}"),
                "support-qa.jsonl row 1: column 'reply' is missing", "fix the template or the data");
    }

    @Test
    void impossibleSettingsAreRefusedUpFront() throws Exception {
        assertRefused(train(llama, DATA, "--eval-fraction", "1.5"), "eval fraction");
        assertRefused(train(llama, DATA, "--max-steps", "0"), "--max-steps must be at least 1, got 0");
        assertRefused(train(llama, DATA, "--r", "0"), "--r must be at least 1, got 0");
        assertRefused(train(llama, DATA, "--dropout", "1"), "LoRA needs r >= 1, alpha > 0 and dropout in [0, 1)");
        assertRefused(train(gpt2, DATA, "--max-length", "4096"), "exceeds the model's n_positions 1024");
        assertRefused(train(llama, DATA, "--target-modules", "query,value"), "matches no module of this");
    }
}

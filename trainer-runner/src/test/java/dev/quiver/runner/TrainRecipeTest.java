package dev.quiver.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.train.Checkpointing;
import dev.quiver.runner.train.Schedule;
import dev.quiver.runner.train.TrainRequest;
import dev.quiver.runner.train.TrainingSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code quiver train --recipe}: the recipe through RecipeTraining, with flags given explicitly on top. */
class TrainRecipeTest {
    static final Path DATA = Path.of("src/test/resources/data/support-qa.jsonl").toAbsolutePath();
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    @TempDir static Path dir;
    static Path base;
    static Path dataset;
    static Path recipe;

    @BeforeAll
    static void files() throws Exception {
        base = TestModels.tiny(dir.resolve("tiny-llama"), Architecture.LLAMA, 32, 4, 2);
        dataset = dir.resolve("support-qa");
        Files.createDirectories(dataset.resolve("data"));
        Files.copy(DATA, dataset.resolve("data/train.jsonl"));
        Files.writeString(dataset.resolve("README.md"), "not data");
        recipe = Files.writeString(dir.resolve("quiver.yaml"), """
                base_model: {repo: acme/tiny-llama, revision: %s}
                dataset: {repo: acme/support-qa, files: ["data/*.jsonl"], format: qa, eval: {fraction: 0.2, seed: 5}}
                lora: {r: 4, alpha: 8, dropout: 0.0, target_modules: [q_proj, o_proj]}
                training: {epochs: 2, max_steps: 2, learning_rate: 1.0e-3, batch_size: 4, max_length: 96,
                           warmup_ratio: 0.0, schedule: linear, seed: 9}
                """.formatted(SHA));
    }

    static TrainRequest request(String... args) {
        return command(args).request();
    }

    static TrainCommand command(String... args) {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
        return (TrainCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void theRecipeSetsEverySettingItHolds() {
        TrainRequest r = request("train", "--base", base.toString(), "--out", dir.resolve("o1").toString(),
                "--recipe", recipe.toString(), "--dataset", dataset.toString());
        assertThat(r.lora()).isEqualTo(new LoraSpec(4, 8, 0, new TargetModules.Names(List.of("q_proj", "o_proj")), false));
        assertThat(r.training()).isEqualTo(new TrainingSettings(2, OptionalInt.of(2), 1e-3, 4, 1, 0, 0, Schedule.LINEAR, 1.0, 9));
        assertThat(r.maxLength()).isEqualTo(96);
        assertThat(r.data().trainFiles()).containsExactly(dataset.resolve("data/train.jsonl"));
        assertThat(r.data().format()).isEqualTo(RowFormat.QA);
        assertThat(r.data().evalFraction()).isEqualTo(0.2);
        assertThat(r.data().seed()).isEqualTo(5);
        assertThat(r.baseName().nameOrPath()).isEqualTo("acme/tiny-llama");
        assertThat(r.baseName().revision()).contains(SHA);
    }

    @Test
    void flagsGivenExplicitlyOverrideTheRecipe() {
        TrainRequest r = request("train", "--base", base.toString(), "--out", dir.resolve("o2").toString(),
                "--recipe", recipe.toString(), "--data", DATA.toString(), "--r", "2", "--no-rslora", "--lr", "5e-4",
                "--max-steps", "1", "--max-grad-norm", "0.5", "--target-modules", "all-linear", "--format", "template",
                "--template", "Q {question} A {answer}", "--base-name", "me/base", "--max-length", "64");
        assertThat(r.lora().r()).isEqualTo(2);
        assertThat(r.lora().alpha()).as("not given, so the recipe's").isEqualTo(8);
        assertThat(r.lora().targets()).isEqualTo(new TargetModules.AllLinear());
        assertThat(r.training().learningRate()).isEqualTo(5e-4);
        assertThat(r.training().maxSteps()).hasValue(1);
        assertThat(r.training().maxGradNorm()).isEqualTo(0.5);
        assertThat(r.training().seed()).isEqualTo(9);
        assertThat(r.maxLength()).isEqualTo(64);
        assertThat(r.data().format()).isEqualTo(RowFormat.TEMPLATE);
        assertThat(r.data().template()).contains("Q {question} A {answer}");
        assertThat(r.data().trainFiles()).as("--data replaces the recipe's globs").containsExactly(DATA);
        assertThat(r.baseName().nameOrPath()).isEqualTo("me/base");
        assertThat(r.baseName().revision()).contains(SHA);
    }

    @Test
    void withoutARecipeTheCommandKeepsItsDocumentedDefaults() {
        TrainRequest r = request("train", "--base", base.toString(), "--out", dir.resolve("o3").toString(),
                "--data", DATA.toString());
        assertThat(r.lora()).isEqualTo(new LoraSpec(8, 16, 0.05, new TargetModules.Names(List.of("q_proj", "v_proj")), false));
        assertThat(r.training()).isEqualTo(new TrainingSettings(3, OptionalInt.empty(), 2e-4, 8, 1, 0, 0.05,
                Schedule.COSINE, 1.0, 42));
        assertThat(r.maxLength()).isEqualTo(256);
        assertThat(r.data()).isEqualTo(new TrainingData.Source(List.of(DATA), List.of(),
                RowFormat.QA, Optional.empty(), 0.1, 42));
        assertThat(r.baseName().nameOrPath()).isEqualTo("tiny-llama");
        assertThat(r.baseName().revision()).isEmpty();
    }

    @Test
    void evalFilesNamedOnTheCommandLineReplaceTheSplit() throws Exception {
        Path eval = Files.copy(DATA, dataset.resolve("data/eval.jsonl"));
        try {
            TrainRequest r = request("train", "--base", base.toString(), "--out", dir.resolve("o4").toString(),
                    "--recipe", recipe.toString(), "--dataset", dataset.toString(), "--eval-data", eval.toString());
            assertThat(r.data().evalFiles()).containsExactly(eval);
            assertThat(r.data().trainFiles()).containsExactly(dataset.resolve("data/train.jsonl"));
        } finally {
            Files.delete(eval);
        }
    }

    @Test
    void recipeProblemsAreUserErrorsWithTheirPaths() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "base_model: {repo: acme/x}\ndataset: {repo: acme/y}\nlora: {r: 0}\n");
        assertThatThrownBy(() -> request("train", "--base", base.toString(), "--out", dir.resolve("o5").toString(),
                "--recipe", bad.toString(), "--dataset", dataset.toString()))
                .isInstanceOf(TrainerException.class).hasMessageContaining("bad.yaml: lora.r:");
        assertThatThrownBy(() -> request("train", "--base", base.toString(), "--out", dir.resolve("o6").toString(),
                "--recipe", recipe.toString()))
                .isInstanceOf(TrainerException.class).hasMessageContaining("--recipe needs --dataset DIR");
        assertThatThrownBy(() -> request("train", "--base", base.toString(), "--out", dir.resolve("o7").toString(),
                "--recipe", recipe.toString(), "--dataset", dataset.toString(), "--data", DATA.toString()))
                .isInstanceOf(TrainerException.class).hasMessageContaining("is not inside the dataset folder");
    }

    @Test
    void checkpointsGoNextToTheOutputUnlessToldOtherwise() {
        Path out = dir.resolve("run/adapter");
        assertThat(command("train", "--base", base.toString(), "--out", out.toString(), "--data", DATA.toString(),
                "--checkpoint-every", "5").checkpointing())
                .isEqualTo(new Checkpointing(5, Optional.of(dir.resolve("run/adapter.checkpoints")), Optional.empty()));
        assertThat(command("train", "--base", base.toString(), "--out", out.toString(), "--data", DATA.toString(),
                "--resume", "ck", "--checkpoint-every", "2", "--checkpoint-dir", "elsewhere").checkpointing())
                .isEqualTo(new Checkpointing(2, Optional.of(Path.of("elsewhere")), Optional.of(Path.of("ck"))));
        assertThat(command("train", "--base", base.toString(), "--out", out.toString(), "--data", DATA.toString())
                .checkpointing()).isEqualTo(Checkpointing.none());
    }

    @Test
    void aRecipeTrainsEndToEnd() throws Exception {
        Path out = dir.resolve("adapter");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("train", "--base", base.toString(), "--out", out.toString(), "--recipe", recipe.toString(),
                "--dataset", dataset.toString(), "--quiet");
        assertThat(code).as(err.toString()).isZero();
        JsonNode config = new ObjectMapper().readTree(out.resolve("adapter_config.json").toFile());
        assertThat(config.get("base_model_name_or_path").asText()).isEqualTo("acme/tiny-llama");
        assertThat(config.get("revision").asText()).isEqualTo(SHA);
        assertThat(config.get("r").asInt()).isEqualTo(4);
        assertThat(config.get("target_modules")).extracting(JsonNode::asText).containsExactly("o_proj", "q_proj");
        assertThat(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("steps").asInt()).isEqualTo(2);
    }
}

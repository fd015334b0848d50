package dev.quiver.runner.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.runner.TestModels;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run interrupted after step 9 and resumed from its checkpoints ends with the same adapter bytes,
 * step losses and eval losses as the run that was never interrupted. The settings make that hard:
 * dropout (the engine's generator), gradient accumulation, and an epoch boundary at step 6 that one
 * resume crosses and the other starts after, mid-way through the second epoch's shuffled order.
 */
class CheckpointResumeTest {
    static final Path DATA = Path.of("src/test/resources/data/support-qa.jsonl").toAbsolutePath();
    @TempDir static Path dir;
    static Path base;
    static Trainer.Result reference;
    static Path interrupted;

    @BeforeAll
    static void runs() throws Exception {
        base = TestModels.tiny(dir.resolve("llama"), Architecture.LLAMA, 32, 4, 2);
        reference = TrainingRun.run(request("reference", 1e-2), Checkpointing.none(), quiet(Long.MAX_VALUE));
        interrupted = dir.resolve("interrupted.checkpoints");
        Checkpointing every4 = new Checkpointing(4, Optional.of(interrupted), Optional.empty());
        assertThatThrownBy(() -> TrainingRun.run(request("interrupted", 1e-2), every4, quiet(9)))
                .hasMessageContaining("simulated crash");
        assertThat(dir.resolve("interrupted")).doesNotExist();
        try (Stream<Path> left = Files.list(interrupted)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("checkpoints 4 and 8, complete; nothing partial").containsExactlyInAnyOrder("checkpoint-4", "checkpoint-8");
        }
    }

    /** 48 training rows at 8 per step (batch 4, accumulation 2): 6 steps an epoch, 10 steps in all. */
    static TrainRequest request(String out, double lr) {
        TrainingData.Source data = new TrainingData.Source(List.of(DATA), List.of(), RowFormat.QA, Optional.empty(), 0.2, 3);
        LoraSpec lora = new LoraSpec(4, 8, 0.1, new TargetModules.Names(List.of("q_proj", "v_proj", "down_proj")), false);
        TrainingSettings training = new TrainingSettings(1, OptionalInt.of(10), lr, 4, 2, 0.01, 0.2, Schedule.COSINE, 1.0, 5);
        return new TrainRequest(base, data, 64, lora, training, new BaseModelName("llama", Optional.empty()), dir.resolve(out));
    }

    /** A listener that stops the run like a crash once step {@code crashAt} is done. */
    static TrainingListener quiet(long crashAt) {
        return new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == crashAt) {
                    throw new IllegalStateException("simulated crash after step " + crashAt);
                }
            }

            @Override
            public void onEval(int epoch, double evalLoss) {}
        };
    }

    /** The interrupted run's checkpoints, copied so that each test resumes from its own. */
    static Path checkpointsFor(String name) throws Exception {
        Path copy = dir.resolve(name + ".checkpoints");
        for (String step : List.of("checkpoint-4", "checkpoint-8")) {
            TestModels.copy(interrupted.resolve(step), copy.resolve(step));
        }
        return copy;
    }

    static void assertSameAsReference(Path out, Trainer.Result resumed) throws Exception {
        assertThat(Files.readAllBytes(out.resolve(PeftAdapterFiles.WEIGHTS)))
                .isEqualTo(Files.readAllBytes(dir.resolve("reference").resolve(PeftAdapterFiles.WEIGHTS)));
        assertThat(resumed.history()).extracting(StepMetrics::loss)
                .containsExactlyElementsOf(reference.history().stream().map(StepMetrics::loss).toList());
        assertThat(resumed.evalLossPerEpoch()).containsExactlyElementsOf(reference.evalLossPerEpoch());
        assertThat(resumed.baseEvalLoss()).isEqualTo(reference.baseEvalLoss());
        assertThat(resumed.steps()).isEqualTo(10);
    }

    @Test
    void resumingFromTheNewestCheckpointGivesTheUninterruptedBytes() throws Exception {
        Path checkpoints = checkpointsFor("newest");
        Checkpointing resume = new Checkpointing(0, Optional.empty(), Optional.of(checkpoints));
        Trainer.Result resumed = TrainingRun.run(request("newest", 1e-2), resume, quiet(Long.MAX_VALUE));
        assertSameAsReference(dir.resolve("newest"), resumed);
    }

    @Test
    void resumingAcrossAnEpochBoundaryGivesTheUninterruptedBytes() throws Exception {
        Path checkpoints = checkpointsFor("older");
        Checkpointing resume = new Checkpointing(4, Optional.of(checkpoints), Optional.of(checkpoints.resolve("checkpoint-4")));
        Trainer.Result resumed = TrainingRun.run(request("older", 1e-2), resume, quiet(Long.MAX_VALUE));
        assertSameAsReference(dir.resolve("older"), resumed);
        try (Stream<Path> left = Files.list(checkpoints)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("checkpoint-4", "checkpoint-8");
        }
        assertThat(checkpoints.resolve("checkpoint-8").resolve(PeftAdapterFiles.CONFIG)).as("a checkpoint is an adapter").exists();
    }

    @Test
    void aCheckpointRefusesToContinueADifferentRun() throws Exception {
        Path checkpoints = checkpointsFor("mismatch");
        Checkpointing resume = new Checkpointing(0, Optional.empty(), Optional.of(checkpoints));
        assertThatThrownBy(() -> TrainingRun.run(request("mismatch", 3e-2), resume, quiet(Long.MAX_VALUE)))
                .isInstanceOf(TrainerException.class)
                .hasMessageContaining("belongs to another run: training.learning_rate: 0.01 in the checkpoint, 0.03 now");
        assertThatThrownBy(() -> TrainingRun.run(request("mismatch", 1e-2),
                new Checkpointing(0, Optional.empty(), Optional.of(dir.resolve("nowhere"))), quiet(Long.MAX_VALUE)))
                .isInstanceOf(TrainerException.class).hasMessageContaining("holds no checkpoint");
        assertThat(dir.resolve("mismatch")).doesNotExist();
    }
}

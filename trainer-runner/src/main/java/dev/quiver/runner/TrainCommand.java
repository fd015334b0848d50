package dev.quiver.runner;

import dev.quiver.runner.daemon.RecipeTraining;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.train.Checkpointing;
import dev.quiver.runner.train.TrainRequest;
import dev.quiver.runner.train.Trainer;
import dev.quiver.runner.train.TrainingRun;
import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.recipe.RecipeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train}: fine-tunes a LoRA adapter locally and writes a PEFT folder plus metrics.json.
 * Settings come from a {@code quiver.yaml} given with {@code --recipe}, or from {@link TrainFlags#DEFAULTS}
 * without one; flags given explicitly override either. The recipe becomes a request through
 * {@link RecipeTraining#request}, the same mapping the hub's runner uses.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a LoRA adapter (PEFT format).",
        footer = {"", "Examples:",
            "  quiver train --base ./tiny-llama --data qa.jsonl --out ./adapter",
            "  quiver train --base ./tiny-llama --recipe quiver.yaml --dataset ./support-qa --out ./adapter --epochs 1"})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, description = "Hugging Face model folder.")
    Path base;

    @Option(names = "--out", required = true, description = "Output folder (must not exist).")
    Path out;

    @Option(names = "--recipe", description = "A quiver.yaml to train by; flags given explicitly override its settings.")
    Path recipe;

    @Option(names = "--dataset", description = "Local copy of the dataset repository: the recipe's dataset.files globs"
            + " are matched in it (default with --data: the folder holding those files).")
    Path dataset;

    @Option(names = "--data", split = ",", description = "Dataset files (.json, .jsonl, .csv); they replace the"
            + " recipe's dataset.files.")
    List<Path> data = List.of();

    @Option(names = "--eval-data", split = ",", description = "Eval files (instead of a random split).")
    List<Path> evalData = List.of();

    @Option(names = "--checkpoint-every", description = "Write a checkpoint (adapter, optimizer and loop state)"
            + " after every N optimizer steps; the newest two are kept.")
    int checkpointEvery;

    @Option(names = "--checkpoint-dir", description = "Where checkpoints go (default: OUT.checkpoints next to --out).")
    Path checkpointDir;

    @Option(names = "--resume", description = "Continue from a checkpoint folder, or the newest in a checkpoint"
            + " directory; the base, data and settings must be those it was made with.")
    Path resume;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    TrainFlags flags;

    @Override
    public Integer call() throws Exception {
        Trainer.Result result = TrainingRun.run(request(), checkpointing(),
                new ProgressReporter(quiet || System.console() == null));
        System.out.printf("eval loss %.4f -> %.4f in %d steps (%.0f tokens/s); adapter written to %s%n",
                result.baseEvalLoss(), result.finalEvalLoss(), result.steps(), result.tokensPerSecond(), out);
        return 0;
    }

    TrainRequest request() {
        Recipe settings = flags.applyTo(recipe == null ? TrainFlags.DEFAULTS : readRecipe(recipe));
        DataFiles files = DataFiles.locate(Optional.ofNullable(dataset), data, evalData, recipe != null);
        BaseModelName name = flags.baseName(settings, base, recipe != null);
        TrainRequest request;
        try {
            request = RecipeTraining.request(files.applyTo(settings), base, files.root(), name, out);
        } catch (UncheckedIOException e) {
            throw new TrainerException("cannot list the dataset folder " + files.root() + ": " + e.getCause().getMessage(), e);
        }
        return flags.applyTo(request);
    }

    Checkpointing checkpointing() {
        Path dir = checkpointDir != null ? checkpointDir
                : out.toAbsolutePath().normalize().resolveSibling(out.getFileName() + ".checkpoints");
        return new Checkpointing(checkpointEvery, checkpointEvery > 0 ? Optional.of(dir) : Optional.empty(),
                Optional.ofNullable(resume));
    }

    private static Recipe readRecipe(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new TrainerException("cannot read the recipe " + file + ": " + e.getMessage(), e);
        }
        try {
            return Recipe.parse(yaml);
        } catch (RecipeException e) {
            throw new TrainerException(file + ": " + String.join("; ", e.errors()), e);
        }
    }
}

package dev.quiver.runner.daemon;

import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.ModelConfig;
import dev.quiver.runner.train.Schedule;
import dev.quiver.runner.train.TrainRequest;
import dev.quiver.runner.train.TrainingSettings;
import dev.quiver.schema.recipe.Recipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/** Turns a {@code quiver.yaml} recipe and downloaded base model and dataset folders into a training request. */
public final class RecipeTraining {
    /** Gradients are clipped to this global norm, as PEFT examples and the Trainer default do. */
    static final double MAX_GRAD_NORM = 1.0;

    private RecipeTraining() {
    }

    public static TrainRequest request(Recipe recipe, Path base, Path dataset, BaseModelName baseName, Path out) {
        var lora = recipe.lora();
        List<String> targets = lora.targetModules().isEmpty()
                ? ModelConfig.read(base).architecture().defaultTargets() : lora.targetModules();
        LoraSpec spec = new LoraSpec(lora.r(), lora.alpha(), lora.dropout(), TargetModules.parse(targets), lora.useRslora());
        var t = recipe.training();
        TrainingSettings training = new TrainingSettings(t.epochs(),
                t.maxSteps().map(OptionalInt::of).orElse(OptionalInt.empty()), t.learningRate(), t.batchSize(),
                t.gradientAccumulation(), t.weightDecay(), t.warmupRatio(), Schedule.parse(t.schedule()), MAX_GRAD_NORM,
                t.seed());
        var d = recipe.dataset();
        List<Path> evalFiles = matching(dataset, d.eval().files());
        List<Path> trainFiles = matching(dataset, d.files()).stream().filter(p -> !evalFiles.contains(p)).toList();
        if (trainFiles.isEmpty()) {
            throw new TrainerException("no dataset file matches " + d.files() + " in " + d.repo()
                    + "; fix dataset.files in quiver.yaml");
        }
        TrainingData.Source source = new TrainingData.Source(trainFiles, evalFiles, RowFormat.parse(d.format().yamlName()),
                d.template(), d.eval().fraction(), d.eval().seed());
        return new TrainRequest(base, source, t.maxLength(), spec, training, baseName, out);
    }

    /** Files under {@code root} matching any of the globs (relative to the repo root), in a stable order. */
    static List<Path> matching(Path root, List<String> globs) {
        if (globs.isEmpty()) {
            return List.of();
        }
        List<PathMatcher> matchers = globs.stream().flatMap(g -> Stream.of(g, g.startsWith("**/") ? g.substring(3) : g))
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p))
                    .filter(p -> matchers.stream().anyMatch(m -> m.matches(root.relativize(p))))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

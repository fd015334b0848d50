package dev.quiver.runner;

import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.train.TrainRequest;
import dev.quiver.runner.train.TrainingSettings;
import dev.quiver.schema.recipe.BaseModelRef;
import dev.quiver.schema.recipe.DatasetRef;
import dev.quiver.schema.recipe.EvalSplit;
import dev.quiver.schema.recipe.Gate;
import dev.quiver.schema.recipe.LoraSettings;
import dev.quiver.schema.recipe.Output;
import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.recipe.RowFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The {@code train} flags that set what a recipe sets. Each stays null unless given, so a flag
 * overrides the recipe only when the user typed it; without a recipe {@link #DEFAULTS} stands in.
 */
final class TrainFlags {
    /** What {@code quiver train} does without a recipe: the recipe defaults, with the qa format and 5% warm-up. */
    static final Recipe DEFAULTS = new Recipe(new BaseModelRef("local/base", Optional.empty()),
            new DatasetRef("local/dataset", "main", DatasetRef.DEFAULT_FILES, RowFormat.QA, Optional.empty(),
                    EvalSplit.defaults()),
            LoraSettings.defaults(),
            new dev.quiver.schema.recipe.TrainingSettings(3, Optional.empty(), 2e-4, 8, 1, 256, 0.0, 0.05, "cosine", 42),
            Gate.defaults(), Output.defaults());

    @Option(names = "--format", description = "text, qa, alpaca, chat or template (default: qa).")
    String format;

    @Option(names = "--template", description = "For --format template, e.g. 'Pregunta: {question} Respuesta: {answer}'.")
    String template;

    @Option(names = "--eval-fraction", description = "Share of rows held out for eval (default: 0.1).")
    Double evalFraction;

    @Option(names = "--eval-seed", description = "Seed of the eval split (default: 42).")
    Long evalSeed;

    @Option(names = "--r", description = "LoRA rank (default: 8).")
    Integer r;

    @Option(names = "--alpha", description = "LoRA alpha (default: 16).")
    Double alpha;

    @Option(names = "--dropout", description = "LoRA dropout (default: 0.05).")
    Double dropout;

    @Option(names = "--target-modules", split = ",",
            description = "Names, all-linear, or re:REGEX (default: PEFT's for the architecture).")
    List<String> targets;

    @Option(names = "--rslora", negatable = true, description = "Rank-stabilised scaling alpha/sqrt(r).")
    Boolean rslora;

    @Option(names = "--epochs", description = "Default: 3.")
    Integer epochs;

    @Option(names = "--max-steps", description = "Stop after this many optimizer steps.")
    Integer maxSteps;

    @Option(names = "--lr", description = "Peak learning rate (default: 2e-4).")
    Double lr;

    @Option(names = "--batch-size", description = "Default: 8.")
    Integer batchSize;

    @Option(names = "--grad-accum", description = "Default: 1.")
    Integer gradAccum;

    @Option(names = "--max-length", description = "Default: 256.")
    Integer maxLength;

    @Option(names = "--weight-decay", description = "Default: 0.")
    Double weightDecay;

    @Option(names = "--warmup-ratio", description = "Default: 0.05.")
    Double warmupRatio;

    @Option(names = "--schedule", description = "cosine, linear or constant (default: cosine).")
    String schedule;

    @Option(names = "--seed", description = "Seed for initialisation, shuffling and dropout (default: 42).")
    Long seed;

    @Option(names = "--max-grad-norm", description = "Global gradient-norm clip; 0 for none (default: 1.0).")
    Double maxGradNorm;

    @Option(names = "--base-name", description = "base_model_name_or_path to record (default: the recipe's"
            + " base_model.repo, else the folder name).")
    String baseName;

    @Option(names = "--base-revision", description = "Base model commit to record (default: the recipe's).")
    String baseRevision;

    /** {@code recipe} with every flag given put in place of the recipe's value. */
    Recipe applyTo(Recipe recipe) {
        atLeastOne("--r", r);
        atLeastOne("--epochs", epochs);
        atLeastOne("--max-steps", maxSteps);
        atLeastOne("--batch-size", batchSize);
        atLeastOne("--grad-accum", gradAccum);
        atLeastOne("--max-length", maxLength);
        DatasetRef d = recipe.dataset();
        EvalSplit e = d.eval();
        LoraSettings l = recipe.lora();
        var t = recipe.training();
        return checked(() -> new Recipe(recipe.baseModel(),
                new DatasetRef(d.repo(), d.branch(), d.files(), format == null ? d.format() : rowFormat(format),
                        template == null ? d.template() : Optional.of(template),
                        new EvalSplit(or(evalFraction, e.fraction()), or(evalSeed, e.seed()), e.files())),
                new LoraSettings(or(r, l.r()), or(alpha, l.alpha()), or(dropout, l.dropout()), or(targets, l.targetModules()),
                        or(rslora, l.useRslora())),
                new dev.quiver.schema.recipe.TrainingSettings(or(epochs, t.epochs()),
                        maxSteps == null ? t.maxSteps() : Optional.of(maxSteps), or(lr, t.learningRate()),
                        or(batchSize, t.batchSize()), or(gradAccum, t.gradientAccumulation()), or(maxLength, t.maxLength()),
                        or(weightDecay, t.weightDecay()), or(warmupRatio, t.warmupRatio()), or(schedule, t.schedule()),
                        or(seed, t.seed())),
                recipe.gate(), recipe.output()));
    }

    /** The request with the settings a recipe does not hold (gradient clipping). */
    TrainRequest applyTo(TrainRequest request) {
        if (maxGradNorm == null) {
            return request;
        }
        TrainingSettings t = request.training();
        return new TrainRequest(request.base(), request.data(), request.maxLength(), request.lora(),
                new TrainingSettings(t.epochs(), t.maxSteps(), t.learningRate(), t.batchSize(), t.gradientAccumulation(),
                        t.weightDecay(), t.warmupRatio(), t.schedule(), maxGradNorm, t.seed()),
                request.baseName(), request.out());
    }

    /** What adapter_config.json will name as the base: the flags, else the recipe's repo, else the folder. */
    BaseModelName baseName(Recipe recipe, Path base, boolean fromRecipe) {
        String name = baseName != null ? baseName
                : fromRecipe ? recipe.baseModel().repo() : base.toAbsolutePath().normalize().getFileName().toString();
        Optional<String> revision = baseRevision != null ? Optional.of(baseRevision)
                : fromRecipe ? recipe.baseModel().revision() : Optional.empty();
        return new BaseModelName(name, revision);
    }

    private static RowFormat rowFormat(String name) {
        return RowFormat.fromYaml(name).orElseThrow(() -> new TrainerException(
                "unknown row format '" + name + "' (text, qa, alpaca, chat, template)"));
    }

    private static void atLeastOne(String flag, Integer value) {
        if (value != null && value < 1) {
            throw new TrainerException(flag + " must be at least 1, got " + value);
        }
    }

    private static <T> T or(T flag, T recipe) {
        return flag != null ? flag : recipe;
    }

    /** The schema's records refuse impossible values with IllegalArgumentException; here they are user errors. */
    private static Recipe checked(Supplier<Recipe> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new TrainerException(e.getMessage());
        }
    }
}

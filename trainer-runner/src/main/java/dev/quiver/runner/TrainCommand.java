package dev.quiver.runner;

import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.ModelConfig;
import dev.quiver.runner.train.Schedule;
import dev.quiver.runner.train.TrainRequest;
import dev.quiver.runner.train.Trainer;
import dev.quiver.runner.train.TrainingRun;
import dev.quiver.runner.train.TrainingSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: fine-tunes a LoRA adapter locally and writes a PEFT folder plus metrics.json. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a LoRA adapter (PEFT format).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, description = "Hugging Face model folder.") Path base;
    @Option(names = "--data", required = true, split = ",", description = "Dataset files (.json, .jsonl, .csv).") List<Path> data;
    @Option(names = "--eval-data", split = ",", description = "Eval files (instead of a random split).") List<Path> evalData = List.of();
    @Option(names = "--out", required = true, description = "Output folder (must not exist).") Path out;
    @Option(names = "--format", defaultValue = "qa", description = "text, qa, alpaca, chat or template") String format;
    @Option(names = "--template", description = "e.g. 'Pregunta: {question} Respuesta: {answer}'") String template;
    @Option(names = "--eval-fraction", defaultValue = "0.1") double evalFraction;
    @Option(names = "--r", defaultValue = "8") int r;
    @Option(names = "--alpha", defaultValue = "16") double alpha;
    @Option(names = "--dropout", defaultValue = "0.05") double dropout;
    @Option(names = "--target-modules", split = ",", description = "Names, all-linear, or re:REGEX (default: PEFT's for the architecture).") List<String> targets;
    @Option(names = "--rslora") boolean rslora;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--max-steps") Integer maxSteps;
    @Option(names = "--lr", defaultValue = "2e-4") double lr;
    @Option(names = "--batch-size", defaultValue = "8") int batchSize;
    @Option(names = "--grad-accum", defaultValue = "1") int gradAccum;
    @Option(names = "--max-length", defaultValue = "256") int maxLength;
    @Option(names = "--weight-decay", defaultValue = "0.0") double weightDecay;
    @Option(names = "--warmup-ratio", defaultValue = "0.05") double warmupRatio;
    @Option(names = "--schedule", defaultValue = "cosine") String schedule;
    @Option(names = "--max-grad-norm", defaultValue = "1.0") double maxGradNorm;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--base-name", description = "base_model_name_or_path to record (default: the folder name).") String baseName;
    @Option(names = "--base-revision", description = "Base model commit to record.") String baseRevision;
    @Option(names = "--quiet", description = "No progress bar.") boolean quiet;

    @Override
    public Integer call() throws Exception {
        Trainer.Result result = TrainingRun.run(request(), new ProgressReporter(quiet || System.console() == null));
        System.out.printf("eval loss %.4f -> %.4f in %d steps (%.0f tokens/s); adapter written to %s%n",
                result.baseEvalLoss(), result.finalEvalLoss(), result.steps(), result.tokensPerSecond(), out);
        return 0;
    }

    TrainRequest request() {
        ModelConfig config = ModelConfig.read(base);
        List<String> t = targets == null ? config.architecture().defaultTargets() : targets;
        LoraSpec lora = new LoraSpec(r, alpha, dropout, TargetModules.parse(t), rslora);
        TrainingSettings training = new TrainingSettings(epochs, maxSteps == null ? OptionalInt.empty() : OptionalInt.of(maxSteps),
                lr, batchSize, gradAccum, weightDecay, warmupRatio, Schedule.parse(schedule), maxGradNorm, seed);
        TrainingData.Source source = new TrainingData.Source(data, evalData, RowFormat.parse(format),
                Optional.ofNullable(template), evalFraction, seed);
        BaseModelName name = new BaseModelName(baseName == null ? base.toAbsolutePath().normalize().getFileName().toString() : baseName,
                Optional.ofNullable(baseRevision));
        return new TrainRequest(base, source, maxLength, lora, training, name, out);
    }
}

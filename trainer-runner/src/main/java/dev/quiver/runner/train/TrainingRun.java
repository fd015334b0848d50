package dev.quiver.runner.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.ExampleEncoder;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a training request end to end and publishes the output folder atomically: everything is
 * written to a hidden sibling directory, renamed to {@code out} only when complete, and removed
 * on any failure, so {@code out} either holds a whole adapter or does not exist.
 */
public final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingRun() {}

    public static Trainer.Result run(TrainRequest req, TrainingListener listener) throws IOException {
        return run(req, Checkpointing.none(), listener);
    }

    /** Trains with checkpoints as {@code checkpointing} asks, resuming from one if it names one. */
    public static Trainer.Result run(TrainRequest req, Checkpointing checkpointing, TrainingListener listener)
            throws IOException {
        Path out = req.out().toAbsolutePath().normalize();
        if (Files.exists(out)) {
            throw new TrainerException(out + " already exists; choose a new output folder");
        }
        Path tmp;
        try {
            Files.createDirectories(out.getParent());
            tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new TrainerException("cannot create the output folder " + out + ": " + e.getMessage(), e);
        }
        try (CausalLm model = ModelLoader.load(req.base());
                ExampleEncoder encoder = new ExampleEncoder(req.base(), model.config().eosTokenId(),
                        model.config().vocabSize(), req.maxLength())) {
            model.config().requireFits(req.maxLength());
            TrainingData data = TrainingData.load(req.data(), encoder);
            LoraAdapter adapter = LoraAdapter.create(model, req.lora(), req.training().seed());
            CheckpointStore checkpoints = checkpointing.equals(Checkpointing.none()) ? CheckpointStore.NONE
                    : new FolderCheckpoints(checkpointing, model, adapter, req.baseName(),
                            RunFingerprint.of(model, adapter, data, req.training(), req.maxLength()));
            Trainer.Result result = Trainer.train(model, adapter, data, req.training(), listener, checkpoints);
            PeftAdapterFiles.save(tmp, adapter, model, req.baseName());
            JSON.writeValue(tmp.resolve("metrics.json").toFile(), metrics(result, data, adapter));
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } finally {
            deleteTree(tmp);
        }
    }

    private static Map<String, Object> metrics(Trainer.Result r, TrainingData data, LoraAdapter adapter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eval_loss_base", r.baseEvalLoss());
        m.put("eval_loss", r.finalEvalLoss());
        m.put("eval_loss_per_epoch", r.evalLossPerEpoch());
        m.put("steps", r.steps());
        m.put("train_tokens", r.tokens());
        m.put("train_seconds", r.seconds());
        m.put("tokens_per_second", r.tokensPerSecond());
        m.put("peak_resident_bytes", r.peakResidentBytes());
        m.put("trainable_parameters", adapter.parameterCount());
        m.put("train_examples", data.train().size());
        m.put("eval_examples", data.eval().size());
        m.put("cleaning", data.cleaning());
        m.put("truncated_away", data.truncatedAway());
        m.put("history", r.history());
        return m;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.quiver.runner.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.schema.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checkpoints as folders {@code checkpoint-<step>}, each written under a temporary name and renamed
 * when complete: the adapter as PEFT files (usable as they are), AdamW's step and moments in
 * {@value #OPTIMIZER} (PyTorch's exp_avg / exp_avg_sq names), and {@value #STATE} with the
 * {@link TrainProgress} and the run's settings and data fingerprint. A resume must match that
 * fingerprint, so it continues the same run and produces the bytes the uninterrupted run would.
 * The newest {@value #KEEP} checkpoints are kept.
 */
public final class FolderCheckpoints implements CheckpointStore {
    public static final String STATE = "trainer_state.json";
    public static final String OPTIMIZER = "optimizer.safetensors";
    static final String PREFIX = "checkpoint-";
    private static final int KEEP = 2;
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = Json.mapper();

    private final Checkpointing settings;
    private final CausalLm model;
    private final LoraAdapter adapter;
    private final BaseModelName baseName;
    private final JsonNode run;

    /** {@code run} identifies the run (see {@link RunFingerprint}); a checkpoint resumes only a run with the same one. */
    public FolderCheckpoints(Checkpointing settings, CausalLm model, LoraAdapter adapter, BaseModelName baseName,
            JsonNode run) {
        this.settings = settings;
        this.model = model;
        this.adapter = adapter;
        this.baseName = baseName;
        this.run = run;
    }

    @Override
    public Optional<TrainProgress> resume(AdamW optimizer) {
        if (settings.resumeFrom().isEmpty()) {
            return Optional.empty();
        }
        Path dir = locate(settings.resumeFrom().get());
        JsonNode state = readState(dir);
        List<String> differences = RunFingerprint.differences(state.path("run"), run);
        if (!differences.isEmpty()) {
            throw new TrainerException("checkpoint " + dir + " belongs to another run: " + String.join("; ", differences)
                    + "; resume with the base model, data and settings it was made with");
        }
        List<String> names = adapter.trainableNames();
        List<NDArray> params = adapter.trainable();
        Path weights = dir.resolve(PeftAdapterFiles.WEIGHTS);
        Path moments = dir.resolve(OPTIMIZER);
        List<float[]> first = new ArrayList<>();
        List<float[]> second = new ArrayList<>();
        try (FileChannel w = FileChannel.open(weights, StandardOpenOption.READ);
                FileChannel o = FileChannel.open(moments, StandardOpenOption.READ)) {
            SafetensorsHeader wh = SafetensorsReader.readHeader(w);
            SafetensorsHeader oh = SafetensorsReader.readHeader(o);
            for (int i = 0; i < names.size(); i++) {
                params.get(i).set(floats(w, wh, weights, names.get(i), params.get(i)));
                first.add(floats(o, oh, moments, "exp_avg." + names.get(i), params.get(i)));
                second.add(floats(o, oh, moments, "exp_avg_sq." + names.get(i), params.get(i)));
            }
            optimizer.restore(Long.parseLong(oh.metadata().getOrDefault("adam_step", "-1")), first, second);
        } catch (IOException | SafetensorsException | NumberFormatException e) {
            throw new TrainerException("checkpoint " + dir + " cannot be read (" + e.getMessage()
                    + "); resume from an older checkpoint", e);
        }
        return Optional.of(progress(state));
    }

    @Override
    public boolean due(long step) {
        return settings.every() > 0 && step % settings.every() == 0;
    }

    @Override
    public void save(TrainProgress progress, AdamW optimizer) {
        Path dir = settings.dir().orElseThrow();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, "." + PREFIX + progress.step() + ".partial-");
            PeftAdapterFiles.save(tmp, adapter, model, baseName);
            writeMoments(tmp.resolve(OPTIMIZER), optimizer);
            writeSynced(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state(progress)));
            Path target = dir.resolve(PREFIX + progress.step());
            // A run resumed from an older checkpoint reaches the steps it had saved before: the new one wins.
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            prune(dir);
        } catch (IOException e) {
            throw new TrainerException("cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /** The checkpoint folder itself, or the newest one inside a folder of checkpoints. */
    static Path locate(Path given) {
        if (Files.isRegularFile(given.resolve(STATE))) {
            return given;
        }
        return steps(given).stream().reduce((a, b) -> b).map(step -> given.resolve(PREFIX + step))
                .orElseThrow(() -> new TrainerException(given + " holds no checkpoint (a " + PREFIX + "<step> folder with "
                        + STATE + ")"));
    }

    private static TreeSet<Long> steps(Path dir) {
        TreeSet<Long> steps = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return steps;
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(p -> Files.isRegularFile(p.resolve(STATE))).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(PREFIX + "[0-9]{1,18}"))
                    .forEach(n -> steps.add(Long.parseLong(n.substring(PREFIX.length()))));
        } catch (IOException e) {
            throw new TrainerException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return steps;
    }

    private void prune(Path dir) throws IOException {
        List<Long> old = new ArrayList<>(steps(dir).descendingSet());
        for (Long step : old.subList(Math.min(KEEP, old.size()), old.size())) {
            deleteTree(dir.resolve(PREFIX + step));
        }
    }

    private void writeMoments(Path file, AdamW optimizer) {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("adam_step", Long.toString(optimizer.step()));
        List<String> names = adapter.trainableNames();
        for (int i = 0; i < names.size(); i++) {
            add(writer, "exp_avg." + names.get(i), optimizer.firstMoments().get(i));
            add(writer, "exp_avg_sq." + names.get(i), optimizer.secondMoments().get(i));
        }
        writer.write(file);
    }

    private static void add(SafetensorsWriter writer, String name, NDArray array) {
        float[] values = array.toFloatArray();
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        writer.add(name, Dtype.F32, array.getShape().getShape(), buf);
    }

    private static float[] floats(FileChannel ch, SafetensorsHeader header, Path file, String name, NDArray like) {
        TensorInfo t = header.tensor(name).orElseThrow(() -> new TrainerException(file + " has no tensor " + name
                + ": the checkpoint was made for another adapter"));
        if (t.dtype() != Dtype.F32 || !Arrays.equals(t.shapeArray(), like.getShape().getShape())) {
            throw new TrainerException(file + ": tensor " + name + " is " + t.dtype() + " " + t.shape() + ", expected F32 "
                    + like.getShape() + ": the checkpoint was made for another adapter");
        }
        float[] values = new float[(int) t.numel()];
        SafetensorsReader.readTensor(ch, header, name).asFloatBuffer().get(values);
        return values;
    }

    private ObjectNode state(TrainProgress p) {
        ObjectNode s = JSON.createObjectNode();
        s.put("format", FORMAT);
        s.put("step", p.step());
        s.put("epoch", p.epoch());
        s.put("position", p.position());
        s.set("order", JSON.valueToTree(p.order()));
        s.put("random_state", p.randomState());
        s.put("tokens", p.tokens());
        s.put("seconds", p.seconds());
        s.put("eval_loss_base", p.baseEvalLoss());
        s.set("eval_loss_per_epoch", JSON.valueToTree(p.evalLossPerEpoch()));
        s.set("history", JSON.valueToTree(p.history()));
        s.set("run", run);
        return s;
    }

    private static JsonNode readState(Path dir) {
        Path file = dir.resolve(STATE);
        try {
            JsonNode state = JSON.readTree(file.toFile());
            if (state == null || state.path("format").asInt() != FORMAT) {
                throw new TrainerException(file + " is not a checkpoint this runner wrote (format " + FORMAT + ")");
            }
            return state;
        } catch (IOException e) {
            throw new TrainerException("cannot read " + file + ": " + e.getMessage() + "; resume from an older checkpoint", e);
        }
    }

    private static TrainProgress progress(JsonNode s) {
        return new TrainProgress(s.path("step").asLong(), s.path("epoch").asInt(),
                JSON.convertValue(s.path("order"), int[].class), s.path("position").asInt(), s.path("random_state").asLong(),
                s.path("tokens").asLong(), s.path("seconds").asDouble(), s.path("eval_loss_base").asDouble(),
                JSON.convertValue(s.path("eval_loss_per_epoch"), new TypeReference<List<Double>>() {}),
                JSON.convertValue(s.path("history"), new TypeReference<List<StepMetrics>>() {}));
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Makes the rename itself durable, so a crash right after cannot bring the partial name back. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
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

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // The checkpoint outcome is already decided; a stray hidden folder is harmless.
        }
    }
}

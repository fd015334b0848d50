package dev.quiver.runner;

import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.ModelLoader;
import dev.quiver.runner.model.TinyModelWriter;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.schema.safetensors.TensorInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Builds the model and adapter folders tests need, and damages them in the ways real files get damaged. */
public final class TestModels {
    private TestModels() {}

    /** A complete tiny model folder (weights, config, tokenizer). */
    public static Path tiny(Path dir, Architecture arch, int hidden, int heads, int kvHeads) throws IOException {
        TinyModelWriter.write(dir, new TinyModelWriter.Spec(arch, 2, hidden, heads, kvHeads, 1));
        return dir;
    }

    /** A copy of a model or adapter folder, to damage without touching the original. */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** An untrained adapter (A random, B zero) for {@code base} on {@code targets}, saved as PEFT does. */
    public static Path adapter(Path base, Path out, int r, TargetModules targets) throws IOException {
        try (CausalLm model = ModelLoader.load(base)) {
            LoraAdapter adapter = LoraAdapter.create(model, new LoraSpec(r, 2.0 * r, 0, targets, false), 3);
            PeftAdapterFiles.save(out, adapter, model, new BaseModelName(base.getFileName().toString(), Optional.empty()));
        }
        return out;
    }

    /** Cuts {@code bytes} bytes off the end of a file, as an interrupted download leaves it. */
    public static void truncate(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - bytes);
        }
    }

    /** Rewrites a safetensors file with one F32 tensor's values changed by {@code change}. */
    public static void rewriteTensor(Path file, String name, UnaryOperator<float[]> change) throws IOException {
        rebuild(file, (t, data, w) -> {
            if (!t.name().equals(name)) {
                w.add(t.name(), t.dtype(), t.shapeArray(), data);
                return;
            }
            float[] v = new float[(int) t.numel()];
            data.asFloatBuffer().get(v);
            float[] changed = change.apply(v);
            ByteBuffer out = ByteBuffer.allocate(changed.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            out.asFloatBuffer().put(changed);
            w.add(t.name(), Dtype.F32, t.shapeArray(), out);
        });
    }

    /** Rewrites a safetensors file with {@code name} stored as I64 zeros of the same shape. */
    public static void retypeTensorToI64(Path file, String name) throws IOException {
        rebuild(file, (t, data, w) -> w.add(t.name(), t.name().equals(name) ? Dtype.I64 : t.dtype(), t.shapeArray(),
                t.name().equals(name) ? ByteBuffer.allocate((int) t.numel() * 8) : data));
    }

    /** Rewrites a safetensors file without the tensor {@code name}. */
    public static void dropTensor(Path file, String name) throws IOException {
        rebuild(file, (t, data, w) -> {
            if (!t.name().equals(name)) {
                w.add(t.name(), t.dtype(), t.shapeArray(), data);
            }
        });
    }

    private interface TensorCopy {
        void copy(TensorInfo tensor, ByteBuffer data, SafetensorsWriter writer);
    }

    private static void rebuild(Path file, TensorCopy copy) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        SafetensorsHeader header = SafetensorsReader.readHeader(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (TensorInfo t : header.tensors()) {
                copy.copy(t, SafetensorsReader.readTensor(ch, header, t.name()), w);
            }
        }
        w.write(file);
    }
}

package dev.quiver.schema.safetensors;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a safetensors file the way the reference writer lays it out: {@code __metadata__}
 * first ({@code {"format":"pt"}} unless told otherwise, because transformers looks for it),
 * tensors ordered by dtype from widest to narrowest and then by name, and the header padded
 * with spaces to a multiple of 8 so every tensor's data stays 8-byte aligned.
 *
 * <p>{@link #add} keeps the caller's buffer without copying it: leave it unchanged until the
 * file is written. Errors are {@link SafetensorsException}: {@code DUPLICATE_KEY} for a name
 * added twice, {@code TENSOR_INVALID_INFO} for data whose size disagrees with shape and
 * dtype, {@code IO} when writing fails (the target file is then left as it was).
 */
public final class SafetensorsWriter {

    private record Entry(String name, Dtype dtype, List<Long> shape, ByteBuffer data) {
    }

    private static final Comparator<Entry> LAYOUT_ORDER = Comparator
            .comparing((Entry e) -> e.dtype().ordinal(), Comparator.reverseOrder())
            .thenComparing(Entry::name);

    private final Map<String, String> metadata = new TreeMap<>(Map.of("format", "pt"));
    private final Map<String, Entry> entries = new HashMap<>();

    /** Sets one {@code __metadata__} entry; {@code "format"} replaces the default {@code "pt"}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor whose little-endian, C-order bytes are the buffer's remaining bytes. */
    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, ByteBuffer littleEndianData) {
        List<Long> dims = Arrays.stream(shape).boxed().toList();
        if (dims.stream().anyMatch(dim -> dim < 0)) {
            throw new SafetensorsException(Problem.TENSOR_INVALID_INFO, "tensor '" + name + "' has a negative dimension in " + dims);
        }
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new SafetensorsException(Problem.TENSOR_INVALID_INFO,
                    "a tensor may not be named " + SafetensorsHeader.METADATA_KEY);
        }
        long bytes = TensorInfo.byteLength(name, dtype, dims);
        if (littleEndianData.remaining() != bytes) {
            throw new SafetensorsException(Problem.TENSOR_INVALID_INFO, "tensor '" + name + "' is " + dtype + " " + dims
                    + ", which needs " + bytes + " bytes, but " + littleEndianData.remaining() + " were given");
        }
        if (entries.putIfAbsent(name, new Entry(name, dtype, dims, littleEndianData.slice())) != null) {
            throw new SafetensorsException(Problem.DUPLICATE_KEY, "tensor '" + name + "' was added twice");
        }
        return this;
    }

    /** Writes the file atomically: a temp file beside it, flushed to disk, then renamed over it. */
    public void write(Path file) {
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                write(Channels.newOutputStream(channel));
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            temp = null;
            syncDirectory(target.getParent());
        } catch (IOException e) {
            throw new SafetensorsException(Problem.IO, "could not write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Writes the file to the stream, which stays open. */
    public void write(OutputStream out) {
        List<Entry> ordered = new ArrayList<>(entries.values());
        ordered.sort(LAYOUT_ORDER);
        byte[] header = header(ordered);
        try {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            WritableByteChannel channel = Channels.newChannel(out);
            for (Entry entry : ordered) {
                ByteBuffer data = entry.data().duplicate();
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new SafetensorsException(Problem.IO, "could not write safetensors data: " + e.getMessage(), e);
        }
    }

    /** The whole file in memory; for small files such as adapters and tests. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    private byte[] header(List<Entry> ordered) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator gen = Json.mapper().getFactory().createGenerator(json)) {
            gen.writeStartObject();
            gen.writeObjectField(SafetensorsHeader.METADATA_KEY, metadata);
            long offset = 0;
            for (Entry entry : ordered) {
                long end = Math.addExact(offset, entry.data().remaining());
                gen.writeObjectFieldStart(entry.name());
                gen.writeStringField("dtype", entry.dtype().name());
                gen.writeObjectField("shape", entry.shape());
                gen.writeArrayFieldStart("data_offsets");
                gen.writeNumber(offset);
                gen.writeNumber(end);
                gen.writeEndArray();
                gen.writeEndObject();
                offset = end;
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new SafetensorsException(Problem.IO, "could not build the header: " + e.getMessage(), e);
        }
        while (json.size() % 8 != 0) {
            json.write(' ');
        }
        return json.toByteArray();
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows): the rename is still atomic, only not yet durable.
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The original error is the one worth reporting; a stray temp file is harmless.
        }
    }
}

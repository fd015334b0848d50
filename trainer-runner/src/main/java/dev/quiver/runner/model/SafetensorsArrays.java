package dev.quiver.runner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.TrainerException;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.schema.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads safetensors files (through the project's validating reader) into NDArrays. Floating tensors become float32 arrays: training and verification compute in fp32.
 */
public final class SafetensorsArrays {
    private SafetensorsArrays() {}

    /** Reads every tensor of one file as float32 arrays, keyed by name. */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsReader.readHeader(ch);
            for (TensorInfo t : header.tensors()) {
                ByteBuffer data = SafetensorsReader.readTensor(ch, header, t.name());
                out.put(t.name(), toArray(t, data, manager, file));
            }
        } catch (SafetensorsException e) {
            out.values().forEach(NDArray::close);
            throw unreadable(file, e);
        } catch (IOException e) {
            out.values().forEach(NDArray::close);
            throw new TrainerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads only the header: names, dtypes and shapes, without touching the data. */
    public static SafetensorsHeader header(Path file) {
        try {
            return SafetensorsReader.readHeader(file);
        } catch (SafetensorsException e) {
            throw unreadable(file, e);
        }
    }

    private static TrainerException unreadable(Path file, SafetensorsException e) {
        String advice = switch (e.problem()) {
            case HEADER_TOO_SMALL, INVALID_HEADER_LENGTH, METADATA_INCOMPLETE_BUFFER ->
                    "the file is incomplete or damaged (an interrupted download leaves it so): download it again";
            case IO -> "check that the file exists and can be read";
            default -> "it is not a valid safetensors file: export or download it again";
        };
        return new TrainerException(file + ": " + e.getMessage() + "; " + advice, e);
    }

    private static NDArray toArray(TensorInfo t, ByteBuffer data, NDManager manager, Path file) {
        long[] dims = t.shape().stream().mapToLong(Long::longValue).toArray();
        DataType type = switch (t.dtype()) {
            case F32 -> DataType.FLOAT32;
            case F16 -> DataType.FLOAT16;
            case BF16 -> DataType.BFLOAT16;
            case F64 -> DataType.FLOAT64;
            default -> throw new TrainerException(
                    file + ": tensor " + t.name() + " has dtype " + t.dtype() + "; only F32, F16, BF16 and F64 weights are supported");
        };
        ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(data.duplicate()).flip();
        NDArray raw = manager.create(direct, new Shape(dims), type);
        if (type == DataType.FLOAT32) {
            return raw;
        }
        NDArray f32 = raw.toType(DataType.FLOAT32, false);
        raw.close();
        return f32;
    }
}

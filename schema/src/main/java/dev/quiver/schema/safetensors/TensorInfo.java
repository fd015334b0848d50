package dev.quiver.schema.safetensors;

import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.util.List;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header. {@code begin} and {@code end} are byte offsets
 * relative to the data area (the byte after the header), {@code [begin, end)}.
 *
 * <p>The constructor makes the per-tensor checks of the reference reader, in its order,
 * and throws {@link SafetensorsException}: offsets that run backwards or are negative
 * ({@code INVALID_OFFSET}), an element or bit count beyond 63 bits
 * ({@code VALIDATION_OVERFLOW}), a packed dtype that does not fill whole bytes
 * ({@code MISALIGNED_SLICE}), and a byte span that disagrees with shape and dtype
 * ({@code TENSOR_INVALID_INFO}).
 */
public record TensorInfo(String name, Dtype dtype, List<Long> shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        for (long dim : shape) {
            if (dim < 0) {
                throw new SafetensorsException(Problem.TENSOR_INVALID_INFO,
                        "tensor '" + name + "' has a negative dimension in its shape " + shape);
            }
        }
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(Problem.INVALID_OFFSET,
                    "tensor '" + name + "' has data offsets [" + begin + ", " + end + ") that run backwards");
        }
        long bytes = byteLength(name, dtype, shape);
        if (end - begin != bytes) {
            throw new SafetensorsException(Problem.TENSOR_INVALID_INFO,
                    "tensor '" + name + "' is " + dtype + " " + shape + ", which is " + bytes
                            + " bytes, but its data offsets [" + begin + ", " + end + ") span " + (end - begin));
        }
    }

    /** The number of elements: the product of the shape (1 for a scalar, 0 if any dimension is 0). */
    public long numel() {
        return numel(name, shape);
    }

    /** The number of bytes the tensor occupies, {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    /** The shape as a primitive array, for code that builds arrays from it. */
    public long[] shapeArray() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    private static long numel(String name, List<Long> shape) {
        long count = 1;
        for (long dim : shape) {
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsException(Problem.VALIDATION_OVERFLOW,
                        "tensor '" + name + "' has shape " + shape + ", whose element count does not fit in 63 bits");
            }
        }
        return count;
    }

    /** Checked like the reference: numel, then bits, then whole bytes. */
    static long byteLength(String name, Dtype dtype, List<Long> shape) {
        long bits;
        try {
            bits = Math.multiplyExact(numel(name, shape), (long) dtype.bits());
        } catch (ArithmeticException overflow) {
            throw new SafetensorsException(Problem.VALIDATION_OVERFLOW,
                    "tensor '" + name + "' has shape " + shape + ", whose size in bits does not fit in 63 bits");
        }
        if (bits % 8 != 0) {
            throw new SafetensorsException(Problem.MISALIGNED_SLICE,
                    "tensor '" + name + "' is " + dtype + " " + shape + ", which is " + bits
                            + " bits: not a whole number of bytes");
        }
        return bits / 8;
    }
}

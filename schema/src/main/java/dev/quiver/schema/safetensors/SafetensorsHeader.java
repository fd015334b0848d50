package dev.quiver.schema.safetensors;

import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A validated safetensors header: the {@code __metadata__} strings and every tensor entry.
 *
 * <p>The constructor makes the whole-file layout check of the reference reader: taken in
 * offset order, the first tensor starts at 0 and each starts where the previous one ends,
 * so there are no holes and no overlaps ({@code INVALID_OFFSET}); tensor names are unique
 * ({@code DUPLICATE_KEY}) and none is {@code __metadata__} ({@code TENSOR_INVALID_INFO});
 * the whole file's length fits in a {@code long} ({@code VALIDATION_OVERFLOW}).
 * It does not know the file: whether the file is exactly {@link #fileLength()} bytes long is
 * the reader's check.
 *
 * @param headerSize the JSON header's length N in bytes, padding included
 * @param metadata the {@code __metadata__} entries, sorted by key
 * @param tensors the tensors, sorted by name
 */
public record SafetensorsHeader(long headerSize, Map<String, String> metadata, List<TensorInfo> tensors) {

    /** The reserved key that holds string metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    public SafetensorsHeader {
        if (headerSize < 0) {
            throw new SafetensorsException(Problem.INVALID_HEADER_LENGTH, "header size " + headerSize + " is negative");
        }
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
        List<TensorInfo> byName = new ArrayList<>(tensors);
        byName.sort(Comparator.comparing(TensorInfo::name));
        tensors = List.copyOf(byName);
        checkNames(tensors);
        checkContiguous(tensors);
        checkFitsInLong(headerSize, tensors);
    }

    /** Where the data area starts in the file: {@code 8 + headerSize}. */
    public long dataOffset() {
        return Math.addExact(8L, headerSize);
    }

    /** The length the file must have: header plus every tensor's bytes. */
    public long fileLength() {
        return Math.addExact(dataOffset(), dataLength());
    }

    /** The size of the data area: the end of the last tensor. */
    public long dataLength() {
        long last = 0;
        for (TensorInfo tensor : tensors) {
            last = Math.max(last, tensor.end());
        }
        return last;
    }

    /** The tensor of that name, if there is one. */
    public Optional<TensorInfo> tensor(String name) {
        for (TensorInfo tensor : tensors) {
            if (tensor.name().equals(name)) {
                return Optional.of(tensor);
            }
        }
        return Optional.empty();
    }

    /** Element counts per dtype name ({@code "F32" -> 123456}), the figure model pages show. */
    public SortedMap<String, Long> parameterCounts() {
        SortedMap<String, Long> counts = new TreeMap<>();
        for (TensorInfo tensor : tensors) {
            counts.merge(tensor.dtype().name(), tensor.numel(), Math::addExact);
        }
        return Collections.unmodifiableSortedMap(counts);
    }

    /** The element count over all tensors. */
    public long totalParameters() {
        long total = 0;
        for (TensorInfo tensor : tensors) {
            total = Math.addExact(total, tensor.numel());
        }
        return total;
    }

    private static void checkFitsInLong(long headerSize, List<TensorInfo> tensors) {
        long end = tensors.stream().mapToLong(TensorInfo::end).max().orElse(0);
        if (headerSize > Long.MAX_VALUE - 8 - end) {
            throw new SafetensorsException(Problem.VALIDATION_OVERFLOW,
                    "the header and tensor data together are larger than 63 bits can count");
        }
    }

    private static void checkNames(List<TensorInfo> sortedByName) {
        for (int i = 0; i < sortedByName.size(); i++) {
            String name = sortedByName.get(i).name();
            if (name.equals(METADATA_KEY)) {
                throw new SafetensorsException(Problem.TENSOR_INVALID_INFO,
                        "a tensor may not be named " + METADATA_KEY + ": that key holds the file's metadata");
            }
            if (i > 0 && name.equals(sortedByName.get(i - 1).name())) {
                throw new SafetensorsException(Problem.DUPLICATE_KEY, "tensor '" + name + "' appears twice");
            }
        }
    }

    private static void checkContiguous(List<TensorInfo> tensors) {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        for (TensorInfo tensor : byOffset) {
            if (tensor.begin() != expected) {
                String what = tensor.begin() < expected ? "overlaps the tensor before it" : "leaves a gap before it";
                throw new SafetensorsException(Problem.INVALID_OFFSET,
                        "tensor '" + tensor.name() + "' starts at byte " + tensor.begin() + " of the data area but "
                                + (expected == 0 && tensor.begin() > 0 ? "the first tensor must start at 0"
                                        : "the previous one ends at " + expected + ", so it " + what));
            }
            expected = tensor.end();
        }
    }
}

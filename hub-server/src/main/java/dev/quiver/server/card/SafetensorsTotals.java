package dev.quiver.server.card;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Parameter counts of a revision's {@code *.safetensors} files, summed from their headers: per
 * dtype name ({@code F32}, {@code BF16}, ...) and in total. The Hub's {@code safetensors} field.
 */
public record SafetensorsTotals(SortedMap<String, Long> parameters, long total) {
    public SafetensorsTotals {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
        long sum = parameters.values().stream().mapToLong(Long::longValue).sum();
        if (sum != total) {
            throw new IllegalArgumentException("total " + total + " is not the sum of the per-dtype counts " + sum);
        }
    }

    public static SafetensorsTotals empty() {
        return new SafetensorsTotals(new TreeMap<>(), 0);
    }

    /** These totals plus {@code counts} (one more file's per-dtype counts). */
    public SafetensorsTotals plus(SortedMap<String, Long> counts) {
        TreeMap<String, Long> merged = new TreeMap<>(parameters);
        counts.forEach((dtype, n) -> merged.merge(dtype, n, Math::addExact));
        return new SafetensorsTotals(merged, Math.addExact(total,
                counts.values().stream().mapToLong(Long::longValue).sum()));
    }
}

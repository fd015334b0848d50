package dev.quiver.runner.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cleans formatted examples: line endings to \n, trailing spaces on lines and surrounding blank
 * space removed, empty examples dropped, exact duplicates (after normalising) dropped, first kept.
 */
public final class DatasetCleaner {
    private DatasetCleaner() {}

    public record Result(List<Example> examples, CleaningReport report) {}

    public static Result clean(List<Example> raw) {
        List<Example> kept = new ArrayList<>();
        Set<Example> seen = new HashSet<>();
        int empty = 0;
        int duplicates = 0;
        int normalised = 0;
        for (Example e : raw) {
            Example n = new Example(normalisePrompt(e.prompt()), normalise(e.completion()));
            if (!n.equals(e)) {
                normalised++;
            }
            if (n.completion().isEmpty()) {
                empty++;
            } else if (!seen.add(n)) {
                duplicates++;
            } else {
                kept.add(n);
            }
        }
        return new Result(kept, new CleaningReport(raw.size(), empty, duplicates, normalised, kept.size()));
    }

    private static String normalise(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \\t]+\n", "\n").strip();
    }

    /** A prompt keeps its trailing space or newline: it is what the completion continues. */
    private static String normalisePrompt(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[ \\t]+\n", "\n").stripLeading();
    }
}

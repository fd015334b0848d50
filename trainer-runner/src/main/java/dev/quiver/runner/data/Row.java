package dev.quiver.runner.data;

import java.util.Map;

/** One record of a dataset file, with where it came from for error messages. */
public record Row(String source, int number, Map<String, Object> fields) {
    public Row {
        fields = Map.copyOf(fields);
    }

    /** "data.jsonl row 7", the prefix of every message about this row. */
    public String where() {
        return source + " row " + number;
    }
}

package dev.quiver.runner.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.TrainerException;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JSON (an array of objects), JSONL (one object per line) and CSV (a header row) into rows.
 * A row that cannot be read stops the run with its file and row number and what to fix: training
 * on a silently shortened dataset would hide the problem until the adapter disappoints.
 */
public final class DatasetReader {
    // The shared mapper refuses a key given twice in one row: which value wins would be a guess.
    private static final ObjectMapper JSON = Json.mapper();

    private DatasetReader() {}

    public static List<Row> read(Path file) {
        String name = file.getFileName().toString();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TrainerException(name + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new TrainerException("cannot read " + file + ": " + e.getMessage(), e);
        }
        // Editors on Windows start UTF-8 files with a byte-order mark, which is not JSON.
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return jsonl(name, text);
        }
        if (lower.endsWith(".json")) {
            return jsonArray(name, text);
        }
        if (lower.endsWith(".csv")) {
            return CsvParser.rows(name, text);
        }
        throw new TrainerException(name + ": unknown dataset format (use .json, .jsonl or .csv)");
    }

    private static List<Row> jsonl(String name, String text) {
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                rows.add(object(name, i + 1, JSON.readTree(lines[i])));
            } catch (JsonProcessingException e) {
                throw new TrainerException(name + " row " + (i + 1) + ": not valid JSON (" + e.getOriginalMessage()
                        + "); each line of a .jsonl file must be one JSON object: fix or remove that line");
            }
        }
        return rows;
    }

    private static List<Row> jsonArray(String name, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TrainerException(name + ": not valid JSON (" + e.getOriginalMessage()
                    + "); a .json dataset is one array of objects (use .jsonl for one object per line)");
        }
        if (root == null || !root.isArray()) {
            throw new TrainerException(name + ": expected a JSON array of objects, found " + kind(root)
                    + " (use .jsonl for one object per line)");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            rows.add(object(name, i + 1, root.get(i)));
        }
        return rows;
    }

    private static Row object(String name, int number, JsonNode node) {
        if (!node.isObject()) {
            throw new TrainerException(name + " row " + number + ": expected a JSON object of columns, found " + kind(node));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                fields.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        });
        return new Row(name, number, fields);
    }

    /** "an array", "a string", ... for messages about a JSON value of the wrong kind. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }
}

package dev.quiver.runner.data;

import dev.quiver.runner.TrainerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 4180 CSV: a header row, comma separators, double-quoted fields with "" escapes and newlines. */
final class CsvParser {
    private CsvParser() {}

    static List<Row> rows(String name, String text) {
        List<List<String>> records = records(name, text.startsWith("\uFEFF") ? text.substring(1) : text);
        if (records.isEmpty()) {
            return List.of();
        }
        List<String> header = records.get(0);
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() == 1 && r.get(0).isEmpty()) {
                continue;
            }
            if (r.size() != header.size()) {
                throw new TrainerException(name + " row " + i + ": has " + r.size() + " columns, the header has "
                        + header.size() + "; put double quotes around values that contain commas");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                fields.put(header.get(c), r.get(c));
            }
            rows.add(new Row(name, i, fields));
        }
        return rows;
    }

    private static List<List<String>> records(String name, String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.isEmpty()) {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                record.add(field.toString());
                field.setLength(0);
                out.add(record);
                record = new ArrayList<>();
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                field.append(ch);
            }
            i++;
        }
        if (quoted) {
            throw new TrainerException(name + " row " + out.size() + ": a quoted field is never closed; close it, and"
                    + " write a quote inside a quoted value as \"\"");
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            out.add(record);
        }
        return out;
    }
}

package dev.quiver.schema.card;

import java.util.Optional;

/**
 * Finds the YAML front matter of a README: a {@code ---} line at the very top, then YAML,
 * then the next line that is exactly {@code ---}. Line ends may be {@code \n} or
 * {@code \r\n}. A README whose opening {@code ---} is never closed has no front matter
 * (the Hub reads it the same way: the whole file is Markdown).
 *
 * @param yaml the text between the two marker lines
 * @param body everything after the closing marker's line end
 */
record FrontMatter(String yaml, String body) {

    /** The first YAML line is README.md's line 2. */
    static final int FIRST_YAML_LINE = 2;

    static Optional<FrontMatter> find(String readme) {
        int yamlStart = markerLineEnd(readme, 0);
        if (yamlStart < 0) {
            return Optional.empty();
        }
        int lineStart = yamlStart;
        while (lineStart < readme.length()) {
            int next = markerLineEnd(readme, lineStart);
            if (next >= 0) {
                return Optional.of(new FrontMatter(readme.substring(yamlStart, lineStart), readme.substring(next)));
            }
            int newline = readme.indexOf('\n', lineStart);
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        return Optional.empty();
    }

    /** If a {@code ---} line starts at {@code at}, where the line after it starts; else -1. */
    private static int markerLineEnd(String text, int at) {
        if (!text.startsWith("---", at)) {
            return -1;
        }
        int after = at + 3;
        if (after == text.length()) {
            return after;
        }
        if (text.startsWith("\n", after)) {
            return after + 1;
        }
        if (text.startsWith("\r\n", after)) {
            return after + 2;
        }
        return -1;
    }
}

package dev.quiver.schema.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where and why a YAML text failed to parse, in words for the person who wrote it.
 *
 * @param line the 1-based line of the file where the parser gave up
 * @param problem what is wrong there, with the construct it was reading when that helps
 */
public record YamlSyntaxError(int line, String problem) {

    /**
     * Reads SnakeYAML's marks out of the exception Jackson wraps them in.
     *
     * @param firstLine the file's line on which the YAML text starts (1 for a whole file,
     *     2 for front matter after a {@code ---} line)
     */
    public static YamlSyntaxError from(JsonProcessingException e, int firstLine) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String problem = marked.getProblem();
            if (marked.getContext() != null && marked.getContextMark() != null) {
                problem += " (" + marked.getContext() + " that starts on line "
                        + (marked.getContextMark().getLine() + firstLine) + ")";
            }
            return new YamlSyntaxError(marked.getProblemMark().getLine() + firstLine, problem);
        }
        int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
        return new YamlSyntaxError(line - 1 + firstLine, e.getOriginalMessage());
    }
}

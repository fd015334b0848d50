package dev.quiver.runner.data;

import dev.quiver.runner.TrainerException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns rows into examples. The completion is what the loss sees; the prompt is masked out.
 * <ul>
 *   <li>text: {@code text} is all completion;
 *   <li>qa: {@code Question: {question}\nAnswer: } then {@code answer};
 *   <li>alpaca: {@code ### Instruction:} / {@code ### Input:} (when non-empty) / {@code ### Response:} then {@code output};
 *   <li>chat: {@code messages} rendered as {@code <|role|>\ncontent\n}; the last assistant message is the completion;
 *   <li>template: a string with {@code {column}} placeholders; the text from the last placeholder on is the completion.
 * </ul>
 */
public final class PromptFormatter {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    private final RowFormat format;
    private final Optional<String> template;

    public PromptFormatter(RowFormat format, Optional<String> template) {
        if (format == RowFormat.TEMPLATE) {
            String t = template.orElseThrow(() -> new TrainerException(
                    "format 'template' needs a template string, e.g. 'Q: {question} A: {answer}'"));
            if (!PLACEHOLDER.matcher(t).find()) {
                throw new TrainerException("template '" + t + "' has no {column} placeholder; name the columns to fill"
                        + " in braces, e.g. 'Q: {question} A: {answer}'");
            }
        } else if (template.isPresent()) {
            throw new TrainerException("a template is only used by format 'template', not '"
                    + format.name().toLowerCase(Locale.ROOT) + "'; drop the template or change the format");
        }
        this.format = format;
        this.template = template;
    }

    public Example format(Row row) {
        return switch (format) {
            case TEXT -> new Example("", text(row, "text"));
            case QA -> new Example("Question: " + text(row, "question") + "\nAnswer: ", text(row, "answer"));
            case ALPACA -> alpaca(row);
            case CHAT -> chat(row);
            case TEMPLATE -> fromTemplate(row, template.orElseThrow());
        };
    }

    private Example alpaca(Row row) {
        String input = row.fields().containsKey("input") ? text(row, "input") : "";
        String prompt = "### Instruction:\n" + text(row, "instruction") + "\n\n"
                + (input.isBlank() ? "" : "### Input:\n" + input + "\n\n") + "### Response:\n";
        return new Example(prompt, text(row, "output"));
    }

    private Example chat(Row row) {
        Object value = row.fields().get("messages");
        if (!(value instanceof List<?> messages) || messages.isEmpty()) {
            throw new TrainerException(row.where() + ": column 'messages' must be a non-empty list of {role, content}");
        }
        StringBuilder prompt = new StringBuilder();
        int last = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof Map<?, ?> m) || !(m.get("role") instanceof String role)
                    || !(m.get("content") instanceof String)) {
                throw new TrainerException(row.where() + ": column 'messages' item " + (i + 1) + " needs string 'role' and 'content'");
            }
            if (role.equals("assistant")) {
                last = i;
            }
        }
        if (last < 0) {
            throw new TrainerException(row.where() + ": column 'messages' has no assistant message to learn");
        }
        for (int i = 0; i < last; i++) {
            Map<?, ?> m = (Map<?, ?>) messages.get(i);
            prompt.append("<|").append(m.get("role")).append("|>\n").append(m.get("content")).append('\n');
        }
        prompt.append("<|assistant|>\n");
        return new Example(prompt.toString(), (String) ((Map<?, ?>) messages.get(last)).get("content"));
    }

    private Example fromTemplate(Row row, String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder prompt = new StringBuilder();
        int lastStart = 0;
        int pos = 0;
        while (m.find()) {
            lastStart = m.start();
        }
        m.reset();
        StringBuilder completion = new StringBuilder();
        while (m.find()) {
            prompt.append(template, pos, m.start());
            (m.start() >= lastStart ? completion : prompt).append(text(row, m.group(1)));
            pos = m.end();
        }
        completion.append(template.substring(pos));
        return new Example(prompt.toString(), completion.toString());
    }

    private String text(Row row, String column) {
        Object v = row.fields().get(column);
        if (v == null) {
            throw new TrainerException(row.where() + ": column '" + column + "' is missing (columns: "
                    + new TreeSet<>(row.fields().keySet()) + "); " + needs());
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        String found = v instanceof Map<?, ?> ? "an object" : v instanceof List<?> ? "a list" : v.getClass().getSimpleName();
        throw new TrainerException(row.where() + ": column '" + column + "' must be text, found " + found
                + "; " + needs());
    }

    /** What this format reads from a row, so a message about a bad row says what the data should hold. */
    private String needs() {
        return switch (format) {
            case TEXT -> "the text format reads column 'text'";
            case QA -> "the qa format reads columns 'question' and 'answer'";
            case ALPACA -> "the alpaca format reads columns 'instruction', 'output' and optionally 'input'";
            case CHAT -> "the chat format reads column 'messages'";
            case TEMPLATE -> "the template '" + template.orElseThrow() + "' reads it: fix the template or the data";
        };
    }
}

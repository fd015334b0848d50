package dev.quiver.runner.data;

import dev.quiver.runner.TrainerException;
import java.util.Locale;

/** How a row becomes a prompt and a completion (see {@link PromptFormatter}). */
public enum RowFormat {
    TEXT, QA, ALPACA, CHAT, TEMPLATE;

    public static RowFormat parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TrainerException("unknown row format '" + value + "' (text, qa, alpaca, chat, template)");
        }
    }
}

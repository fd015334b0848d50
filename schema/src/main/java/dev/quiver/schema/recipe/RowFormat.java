package dev.quiver.schema.recipe;

import java.util.Locale;
import java.util.Optional;

/** How a dataset row becomes training text; written in lower case in {@code quiver.yaml}. */
public enum RowFormat {
    /** A {@code text} field, trained on whole. */
    TEXT,
    /** {@code question} and {@code answer} fields; loss on the answer only. */
    QA,
    /** Alpaca's {@code instruction}, optional {@code input}, and {@code output}. */
    ALPACA,
    /** A {@code messages} list of {role, content}; loss on assistant turns. */
    CHAT,
    /** A recipe-supplied template with {@code {field}} placeholders. */
    TEMPLATE;

    /** The spelling used in {@code quiver.yaml}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format spelled as in {@code quiver.yaml}, if it is one. */
    public static Optional<RowFormat> fromYaml(String name) {
        for (RowFormat format : values()) {
            if (format.yamlName().equals(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}

package dev.quiver.schema.peft;

import java.util.List;

/**
 * An {@code adapter_config.json} that Quiver cannot use. {@link #errors()} lists every
 * problem found, each naming its key ({@code "r must be greater than 0, not -1"}), so a
 * push can be refused with all of them at once.
 */
public final class AdapterConfigException extends RuntimeException {

    private final List<String> errors;

    public AdapterConfigException(List<String> errors) {
        super("adapter_config.json: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in key order. */
    public List<String> errors() {
        return errors;
    }
}

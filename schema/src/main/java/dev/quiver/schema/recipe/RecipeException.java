package dev.quiver.schema.recipe;

import java.util.List;

/**
 * A {@code quiver.yaml} that cannot be used. {@link #errors()} holds every problem found,
 * each starting with the path of the setting it is about ({@code "lora.r: must be at least
 * 1"}, {@code "dataset.files[0]: ..."}; {@code "quiver.yaml: ..."} for the file as a whole),
 * so a push can be refused with all of them at once.
 */
public final class RecipeException extends RuntimeException {

    private final List<String> errors;

    public RecipeException(List<String> errors) {
        super("quiver.yaml is invalid:\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem, each naming its path. */
    public List<String> errors() {
        return errors;
    }
}

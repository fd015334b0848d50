package dev.quiver.runner.data;

/** A training example as text: the prompt (not trained on) and the completion (trained on). */
public record Example(String prompt, String completion) {
    public boolean isEmpty() {
        return prompt.isBlank() && completion.isBlank();
    }
}

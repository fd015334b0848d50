package dev.quiver.runner.data;

/** Token ids of prompt + completion; the first {@code promptTokens} are masked out of the loss. */
public record TokenizedExample(long[] ids, int promptTokens) {
    public TokenizedExample {
        if (promptTokens < 0 || promptTokens >= ids.length) {
            throw new IllegalArgumentException("an example needs at least one completion token");
        }
    }

    public int length() {
        return ids.length;
    }

    /** How many tokens the loss is computed on (each predicted from the one before it). */
    public int trainedTokens() {
        return ids.length - Math.max(promptTokens, 1);
    }
}

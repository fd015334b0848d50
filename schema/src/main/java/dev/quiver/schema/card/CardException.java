package dev.quiver.schema.card;

/**
 * README.md front matter that cannot be read. The message is
 * {@code README.md front matter, line N: <what is wrong>}, with N counted in README.md
 * itself (the front matter's first YAML line is line 2), so it can go to a user unchanged.
 */
public final class CardException extends RuntimeException {

    private final int line;

    public CardException(int line, String problem) {
        this(line, problem, null);
    }

    public CardException(int line, String problem, Throwable cause) {
        super("README.md front matter, line " + line + ": " + problem, cause);
        this.line = line;
    }

    /** The 1-based line of README.md where the problem is. */
    public int line() {
        return line;
    }
}

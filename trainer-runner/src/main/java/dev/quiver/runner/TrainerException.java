package dev.quiver.runner;

/**
 * A problem the user can fix (a bad file, a wrong flag, a model that does not fit): the message
 * names what is wrong and where. Commands print it without a stack trace and exit with code 2.
 */
public final class TrainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainerException(String message) {
        super(message);
    }

    public TrainerException(String message, Throwable cause) {
        super(message, cause);
    }
}

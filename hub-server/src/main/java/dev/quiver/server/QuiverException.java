package dev.quiver.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one exception domain code throws for a failure a client should see. Its message is safe to
 * show; {@link #problems()} lists every problem when a request had several (bad input is reported
 * whole, not one error at a time).
 */
public class QuiverException extends RuntimeException {
    private final Reason reason;
    private final List<String> problems;
    private final Map<String, String> details = new LinkedHashMap<>();

    public QuiverException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public QuiverException(Reason reason, String message, List<String> problems) {
        super(message);
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public QuiverException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.problems = List.of();
    }

    public Reason reason() {
        return reason;
    }

    public List<String> problems() {
        return problems;
    }

    /** Extra fields for the error body that clients read (e.g. {@code url} on a 409 from create). */
    public Map<String, String> details() {
        return Map.copyOf(details);
    }

    public QuiverException withDetail(String key, String value) {
        details.put(key, value);
        return this;
    }

    public static QuiverException badRequest(String message) {
        return new QuiverException(Reason.BAD_REQUEST, message);
    }
}

package dev.quiver.runner.verify;

/** One verification check as the hub records it: a name, pass or fail, and what was found. */
public record Check(String name, Status status, String details) {
    public enum Status { PASS, FAIL }

    public static Check pass(String name, String details) {
        return new Check(name, Status.PASS, details);
    }

    public static Check fail(String name, String details) {
        return new Check(name, Status.FAIL, details);
    }
}

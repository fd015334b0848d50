package dev.quiver.client;

import java.util.Optional;

/**
 * A request to the hub that did not succeed, classified so that callers (and the CLI's exit codes)
 * can tell "not there" from "not allowed" from "someone else changed it". The message is written for
 * a person: it says what failed and, where there is one, what to do next.
 */
public final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is; {@link #status()} has the HTTP detail when there was a reply. */
    public enum Problem {
        /** 400 or a local input the hub would refuse. */
        BAD_INPUT,
        /** 401: no token, or a token the hub does not accept. */
        UNAUTHORIZED,
        /** 403: authenticated but not allowed (or a gated repo not yet approved). */
        FORBIDDEN,
        /** 404: repo, revision or file missing (or private). */
        NOT_FOUND,
        /** 409/412: it exists already, or the branch moved since it was read. */
        CONFLICT,
        /** The hub does not offer this (a Quiver-only feature on another hub). */
        UNSUPPORTED,
        /** Downloaded bytes do not match the size or hash the hub promised. */
        INTEGRITY,
        /** Could not reach the hub, or it kept failing (5xx, 429) after retries. */
        UNAVAILABLE,
        /** Anything else the hub answered that a client cannot act on. */
        OTHER
    }

    private final Problem problem;
    private final int status;
    private final Optional<String> errorCode;

    public HubException(Problem problem, String message) {
        this(problem, 0, Optional.empty(), message, null);
    }

    public HubException(Problem problem, int status, Optional<String> errorCode, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.status = status;
        this.errorCode = errorCode;
    }

    public Problem problem() {
        return problem;
    }

    /** The HTTP status, or 0 when there was no reply. */
    public int status() {
        return status;
    }

    /** The hub's {@code X-Error-Code} ({@code RepoNotFound}, {@code EntryNotFound}, ...), when it sent one. */
    public Optional<String> errorCode() {
        return errorCode;
    }

    /** A copy with a message that says more (which repo, which file, what to run). */
    public HubException withMessage(String message) {
        return new HubException(problem, status, errorCode, message, this);
    }
}

package dev.quiver.server;

/**
 * Why a request failed, with the HTTP status and the Hugging Face {@code X-Error-Code} clients read.
 * A missing or private repository is {@link #REPO_NOT_FOUND}; the error writer turns it into 401 for
 * anonymous callers and 404 otherwise, as the Hub does.
 */
public enum Reason {
    BAD_REQUEST(400, ""),
    UNAUTHORIZED(401, ""),
    FORBIDDEN(403, ""),
    NOT_FOUND(404, ""),
    REPO_NOT_FOUND(404, "RepoNotFound"),
    REVISION_NOT_FOUND(404, "RevisionNotFound"),
    ENTRY_NOT_FOUND(404, "EntryNotFound"),
    METHOD_NOT_ALLOWED(405, ""),
    CONFLICT(409, ""),
    PRECONDITION_FAILED(412, ""),
    PAYLOAD_TOO_LARGE(413, ""),
    RANGE_NOT_SATISFIABLE(416, ""),
    TOO_MANY_REQUESTS(429, ""),
    UNAVAILABLE(503, "");

    private final int status;
    private final String errorCode;

    Reason(int status, String errorCode) {
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    /** The {@code X-Error-Code} header value, empty when the Hub sends none for this case. */
    public String errorCode() {
        return errorCode;
    }
}

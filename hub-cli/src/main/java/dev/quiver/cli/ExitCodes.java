package dev.quiver.cli;

import dev.quiver.client.HubException;

/**
 * The exit status of every {@code quiver} command, so scripts can tell failures apart:
 *
 * <pre>
 * 0  success
 * 1  failure: the hub was unreachable or kept failing, a download did not verify, anything else
 * 2  bad input: wrong arguments or options, or a request the hub refused as invalid (400)
 * 3  not found: repo (or private), revision or file
 * 4  unauthorized: not logged in, token refused, or not allowed (401, 403)
 * 5  conflict: already exists, or the branch moved (409, 412)
 * </pre>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
    public static final int NOT_FOUND = 3;
    public static final int UNAUTHORIZED = 4;
    public static final int CONFLICT = 5;

    private ExitCodes() {
    }

    public static int of(HubException.Problem problem) {
        return switch (problem) {
            case BAD_INPUT -> BAD_INPUT;
            case NOT_FOUND -> NOT_FOUND;
            case UNAUTHORIZED, FORBIDDEN -> UNAUTHORIZED;
            case CONFLICT -> CONFLICT;
            case UNSUPPORTED, INTEGRITY, UNAVAILABLE, OTHER -> FAILURE;
        };
    }

    /** The exit-code section every command's help ends with. */
    static final String HELP = """
            Exit codes: 0 ok, 1 failure, 2 bad input, 3 not found, 4 unauthorized, 5 conflict.""";
}

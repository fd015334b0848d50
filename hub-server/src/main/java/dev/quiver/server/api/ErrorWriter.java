package dev.quiver.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Caller;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place errors become HTTP answers, in the Hugging Face shape: status, {@code X-Error-Code},
 * {@code X-Error-Message} and {@code {"error": ...}} (plus {@code errors} listing every problem of
 * bad input). A missing or private repo is 401 for anonymous callers and 404 otherwise. Anything
 * unexpected is logged and answered with a generic 500.
 */
public final class ErrorWriter {
    private static final Logger LOG = Logger.getLogger(ErrorWriter.class.getName());

    public void write(ServerResponse res, Method method, Caller caller, Throwable error) {
        if (res.isSent()) {
            LOG.log(Level.WARNING, "error after the response was sent", error);
            return;
        }
        QuiverException qe = unwrap(error);
        if (qe == null) {
            LOG.log(Level.SEVERE, "unexpected error", error);
            send(res, method, 500, "", "Internal server error", null);
            return;
        }
        Reason reason = qe.reason();
        int status = reason == Reason.REPO_NOT_FOUND && caller.isAnonymous() ? 401 : reason.status();
        send(res, method, status, reason.errorCode(), qe.getMessage(), qe);
    }

    private static QuiverException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof QuiverException qe) {
                return qe;
            }
        }
        return null;
    }

    private static void send(ServerResponse res, Method method, int status, String code, String message, QuiverException qe) {
        ObjectNode body = Json.mapper().createObjectNode().put("error", message);
        if (qe != null) {
            qe.details().forEach(body::put);
        }
        if (qe != null && !qe.problems().isEmpty()) {
            qe.problems().forEach(body.putArray("errors")::add);
        }
        res.status(Status.create(status));
        if (!code.isEmpty()) {
            res.header(HeaderNames.create("X-Error-Code"), code);
        }
        res.header(HeaderNames.create("X-Error-Message"), headerSafe(message));
        if (method.equals(Method.HEAD)) {
            // no body on HEAD, and no JSON content type: JS clients choke on an empty body declared as JSON
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Header values must be one line of visible ASCII. */
    static String headerSafe(String message) {
        String oneLine = message.replaceAll("[\\r\\n]+", "; ");
        StringBuilder sb = new StringBuilder();
        for (char c : oneLine.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.length() > 1000 ? sb.substring(0, 1000) : sb.toString();
    }
}

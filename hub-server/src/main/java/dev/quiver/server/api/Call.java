package dev.quiver.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Caller;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request as endpoints see it: the path variables, the rest segments, the authenticated caller,
 * query and body readers with size limits, and JSON writers.
 */
public final class Call {
    /** Largest JSON body the API reads (commit bodies with inline files have their own limit). */
    public static final int MAX_JSON_BYTES = 8 << 20;

    private final ServerRequest req;
    private final ServerResponse res;
    private final Map<String, String> vars;
    private final List<String> rest;
    private final Caller caller;
    private final BaseUrl baseUrl;

    Call(ServerRequest req, ServerResponse res, Map<String, String> vars, List<String> rest, Caller caller,
            BaseUrl baseUrl) {
        this.req = req;
        this.res = res;
        this.vars = vars;
        this.rest = rest;
        this.caller = caller;
        this.baseUrl = baseUrl;
    }

    public ServerRequest request() {
        return req;
    }

    public ServerResponse response() {
        return res;
    }

    public Caller caller() {
        return caller;
    }

    public boolean isHead() {
        return req.prologue().method().equals(Method.HEAD);
    }

    /** A path variable; routes guarantee it is there. */
    public String var(String name) {
        String v = vars.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no variable " + name);
        }
        return v;
    }

    /** The segments a {@code {rest*}} variable matched. */
    public List<String> rest() {
        return rest;
    }

    /** The repository named by the {@code type}, {@code ns} and {@code name} variables. */
    public RepoId repoId() {
        RepoType type = HostedTypes.fromPlural(var("type")).orElseThrow(() -> new QuiverException(Reason.NOT_FOUND,
                "unknown repository type " + var("type")));
        String name = var("name");
        return new RepoId(type, var("ns"), name.endsWith(".git") ? name.substring(0, name.length() - 4) : name);
    }

    /** The hub's absolute base URL as this client reached it. */
    public String baseUrl() {
        return baseUrl.of(req);
    }

    public Optional<String> query(String name) {
        return req.query().contains(name) ? Optional.of(req.query().get(name)) : Optional.empty();
    }

    /** Every value of a repeated parameter, accepting both {@code name=} and {@code name[]=}. */
    public List<String> queryAll(String name) {
        List<String> all = new ArrayList<>();
        for (String key : List.of(name, name + "[]")) {
            if (req.query().contains(key)) {
                all.addAll(req.query().all(key));
            }
        }
        return all;
    }

    /** A boolean parameter: {@code true}, {@code True} and {@code 1} are true (clients send all three). */
    public boolean flag(String name) {
        return query(name).map(Call::isTrue).orElse(false);
    }

    public static boolean isTrue(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("1") || s.equals("yes");
    }

    public Optional<String> header(HeaderName name) {
        return req.headers().first(name);
    }

    public InputStream bodyStream() {
        return req.content().inputStream();
    }

    /** The whole body, refused with 413 past {@code limit} bytes before it is all read. */
    public byte[] body(int limit) {
        Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = bodyStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static QuiverException tooLarge(int limit) {
        return new QuiverException(Reason.PAYLOAD_TOO_LARGE, "request body is larger than " + limit + " bytes");
    }

    /** The body as JSON; an empty body is an empty object. */
    public JsonNode json() {
        byte[] bytes = body(MAX_JSON_BYTES);
        if (bytes.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw QuiverException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void header(String name, String value) {
        res.header(HeaderNames.create(name), value);
    }

    public void sendJson(Object body) {
        sendJson(200, body);
    }

    public void sendJson(int status, Object body) {
        sendJson(status, "application/json", body);
    }

    public void sendJson(int status, String contentType, Object body) {
        try {
            send(status, contentType, Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends JSON written before (an answer kept from an earlier request); {@code json} is not changed. */
    public void sendJsonBytes(byte[] json) {
        send(200, "application/json", json);
    }

    private void send(int status, String contentType, byte[] bytes) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.send(bytes);
    }

    public void sendText(int status, String contentType, String text) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.send(text.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.quiver.server.git;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.api.Call;
import dev.quiver.server.api.Endpoint;
import dev.quiver.server.api.Router;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Git smart HTTP: {@code GET {repo}[.git]/info/refs?service=...}, {@code POST .../git-upload-pack}
 * and {@code POST .../git-receive-pack}, for models and under {@code /datasets}. Git sends
 * credentials only after a challenge, so every 401 here carries {@code WWW-Authenticate: Basic}.
 */
public final class GitEndpoints {
    static final String CHALLENGE = "Basic realm=\"Quiver\"";
    private static final int BUFFER = 64 << 10;

    private final GitService git;

    public GitEndpoints(GitService git) {
        this.git = git;
    }

    public void routes(Router.Builder r) {
        r.repoFiles(Method.GET, "/{ns}/{name}/info/refs", challenging(this::infoRefs));
        r.repoFiles(Method.POST, "/{ns}/{name}/git-upload-pack", challenging(this::uploadPack));
        r.repoFiles(Method.POST, "/{ns}/{name}/git-receive-pack", challenging(this::receivePack));
    }

    private void infoRefs(Call call) throws IOException {
        String asked = call.query("service").orElseThrow(() -> QuiverException.badRequest(
                "only git's smart HTTP protocol is served: add ?service=git-upload-pack"));
        GitService.Service service = GitService.Service.fromWireName(asked)
                .orElseThrow(() -> QuiverException.badRequest("unknown git service " + asked));
        GitService.Session session = git.open(call.caller(), call.repoId(), service);
        byte[] advertisement = git.advertise(session, protocol(call));
        noCache(call);
        call.header("Content-Type", "application/x-" + service.wireName() + "-advertisement");
        call.response().send(advertisement);
    }

    private void uploadPack(Call call) throws IOException {
        requireType(call, GitService.Service.UPLOAD_PACK);
        GitService.Session session = git.open(call.caller(), call.repoId(), GitService.Service.UPLOAD_PACK);
        startResult(call, GitService.Service.UPLOAD_PACK);
        try (InputStream in = body(call); OutputStream out = output(call)) {
            git.upload(session, protocol(call), in, out);
        }
    }

    private void receivePack(Call call) throws IOException {
        requireType(call, GitService.Service.RECEIVE_PACK);
        GitService.Session session = git.open(call.caller(), call.repoId(), GitService.Service.RECEIVE_PACK);
        startResult(call, GitService.Service.RECEIVE_PACK);
        try (InputStream in = body(call); OutputStream out = output(call)) {
            git.receive(session, in, out);
        }
    }

    /** Adds the Basic challenge to a 401, so git asks its credential helper and tries again. */
    static Endpoint challenging(Endpoint endpoint) {
        return call -> {
            try {
                endpoint.handle(call);
            } catch (QuiverException e) {
                boolean unauthorized = e.reason() == Reason.UNAUTHORIZED
                        || (e.reason() == Reason.REPO_NOT_FOUND && call.caller().isAnonymous());
                if (unauthorized) {
                    call.header("WWW-Authenticate", CHALLENGE);
                }
                throw e;
            }
        };
    }

    /** The {@code Git-Protocol} header's colon-separated parameters ({@code version=2}). */
    private static List<String> protocol(Call call) {
        return call.header(HeaderNames.create("Git-Protocol"))
                .map(h -> Arrays.stream(h.split(":")).filter(s -> !s.isBlank()).toList()).orElse(List.of());
    }

    private static void requireType(Call call, GitService.Service service) {
        String expected = "application/x-" + service.wireName() + "-request";
        String type = call.header(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.equals(expected)) {
            throw QuiverException.badRequest("expected Content-Type " + expected);
        }
    }

    private static void noCache(Call call) {
        call.header("Cache-Control", "no-cache, max-age=0, must-revalidate");
        call.header("Pragma", "no-cache");
        call.header("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
    }

    private static void startResult(Call call, GitService.Service service) {
        noCache(call);
        call.header("Content-Type", "application/x-" + service.wireName() + "-result");
    }

    /** The request body, already un-gzipped by the server ({@link GzipRequestDecoding}). */
    private static InputStream body(Call call) {
        return new BufferedInputStream(call.bodyStream(), BUFFER);
    }

    private static OutputStream output(Call call) {
        return new BufferedOutputStream(call.response().outputStream(), BUFFER);
    }
}

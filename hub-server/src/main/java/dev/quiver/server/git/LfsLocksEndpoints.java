package dev.quiver.server.git;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.schema.json.Json;
import dev.quiver.server.api.Call;
import dev.quiver.server.api.Router;
import dev.quiver.server.auth.Permissions;
import io.helidon.http.Method;
import java.util.List;
import java.util.Map;

/**
 * The Git LFS file-locking API as far as git-lfs needs it. The hub keeps no locks. Before a push,
 * git-lfs asks {@code POST .../info/lfs/locks/verify}: a 501 there makes git-lfs turn verification
 * off for this remote quietly (a 200 would make it print advice on every push, a 403 a warning), so
 * writers get a 501. {@code GET .../info/lfs/locks} lists no locks, and taking a lock
 * ({@code POST .../info/lfs/locks}) is a 501 that git-lfs shows with its message.
 */
public final class LfsLocksEndpoints {
    static final String LFS_JSON = "application/vnd.git-lfs+json";

    private final Permissions permissions;

    public LfsLocksEndpoints(Permissions permissions) {
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.repoFiles(Method.POST, "/{ns}/{name}/info/lfs/locks/verify", GitEndpoints.challenging(this::verify));
        r.repoFiles(Method.GET, "/{ns}/{name}/info/lfs/locks", GitEndpoints.challenging(this::list));
        r.repoFiles(Method.POST, "/{ns}/{name}/info/lfs/locks", GitEndpoints.challenging(this::lock));
    }

    private void verify(Call call) throws JsonProcessingException {
        permissions.writable(call.caller(), call.repoId());
        notImplemented(call);
    }

    private void lock(Call call) throws JsonProcessingException {
        permissions.writable(call.caller(), call.repoId());
        notImplemented(call);
    }

    private void list(Call call) throws JsonProcessingException {
        permissions.readable(call.caller(), call.repoId());
        send(call, Map.of("locks", List.of()));
    }

    private static void send(Call call, Object body) throws JsonProcessingException {
        call.sendText(200, LFS_JSON, Json.mapper().writeValueAsString(body));
    }

    /** Git LFS's own answer for an absent feature, in its error shape ({@code message}), not an HF error. */
    private static void notImplemented(Call call) throws JsonProcessingException {
        call.sendText(501, LFS_JSON, Json.mapper().writeValueAsString(
                Map.of("message", "Quiver does not support Git LFS file locking")));
    }
}

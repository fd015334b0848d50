package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.AuditLog;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.Caller;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;

/** Repository lifecycle: {@code /api/repos/create|delete|move} and {@code /api/{type}s/{id}/settings}. */
public final class RepoEndpoints {
    private final RepoStore repos;
    private final Permissions permissions;
    private final AuditLog audit;

    public RepoEndpoints(RepoStore repos, Permissions permissions, AuditLog audit) {
        this.repos = repos;
        this.permissions = permissions;
        this.audit = audit;
    }

    public void routes(Router.Builder r) {
        r.post("/api/repos/create", this::create);
        r.delete("/api/repos/delete", this::delete);
        r.post("/api/repos/move", this::move);
        r.put("/api/{type}/{ns}/{name}/settings", this::settings);
    }

    private void create(Call call) {
        JsonNode body = call.json();
        RepoId id = target(call.caller(), body);
        String url = call.baseUrl() + "/" + id.webPath();
        permissions.requireOwner(call.caller(), id.owner());
        try {
            repos.create(id, isPrivate(body).orElse(false), ident(call.caller()));
        } catch (QuiverException e) {
            throw e.reason() == Reason.CONFLICT ? e.withDetail("url", url) : e;
        }
        call.sendJson(Map.of("url", url, "name", id.id(), "id", id.id()));
    }

    private void delete(Call call) {
        RepoId id = target(call.caller(), call.json());
        permissions.manageable(call.caller(), id);
        repos.delete(id);
        audit.record(call.caller(), "repo.delete", id.webPath(), "", Authenticator.source(call.request()));
        call.sendJson(Map.of());
    }

    private void move(Call call) {
        JsonNode body = call.json();
        RepoType type = HostedTypes.fromSingular(body.path("type").asText(""));
        RepoId from = RepoId.of(type, body.path("fromRepo").asText(""));
        RepoId to = RepoId.of(type, body.path("toRepo").asText(""));
        permissions.manageable(call.caller(), from);
        permissions.requireOwner(call.caller(), to.owner());
        repos.move(from, to);
        audit.record(call.caller(), "repo.move", from.webPath(), "to " + to.webPath(), Authenticator.source(call.request()));
        call.sendJson(Map.of("url", call.baseUrl() + "/" + to.webPath()));
    }

    private void settings(Call call) {
        RepoId id = call.repoId();
        boolean wasPrivate = permissions.manageable(call.caller(), id).isPrivate();
        JsonNode body = call.json();
        isPrivate(body).filter(p -> p != wasPrivate).ifPresent(p -> {
            repos.setPrivate(id, p);
            audit.record(call.caller(), "repo.visibility", id.webPath(), p ? "private" : "public",
                    Authenticator.source(call.request()));
        });
        if (body.has("gated")) {
            String gated = body.get("gated").asText();
            if (!gated.equals("auto") && !gated.equals("manual") && !gated.equals("false")) {
                throw QuiverException.badRequest("gated must be \"auto\", \"manual\" or false");
            }
            repos.setGated(id, gated);
        }
        if (body.has("allowForcePush")) {
            repos.setAllowForcePush(id, body.get("allowForcePush").asBoolean());
        }
        var info = repos.info(id).orElseThrow();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("private", info.isPrivate());
        reply.put("gated", info.gated().equals("false") ? Boolean.FALSE : info.gated());
        call.sendJson(reply);
    }

    /** The repo a create/delete body names: {@code name} (maybe {@code owner/name}), {@code organization}, {@code type}. */
    private static RepoId target(Caller caller, JsonNode body) {
        RepoType type = HostedTypes.fromSingular(body.path("type").asText(""));
        String name = body.path("name").asText("");
        if (name.contains("/")) {
            return RepoId.of(type, name);
        }
        String org = body.path("organization").asText("");
        String owner = org.isEmpty() ? caller.name() : org;
        if (caller.isAnonymous() && org.isEmpty()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "You must be authenticated to do this: pass a token");
        }
        return new RepoId(type, owner, name);
    }

    /** {@code visibility: public|private|protected} (new clients) or {@code private: bool} (old ones). */
    private static java.util.Optional<Boolean> isPrivate(JsonNode body) {
        if (body.hasNonNull("visibility")) {
            String v = body.get("visibility").asText();
            return switch (v) {
                case "public" -> java.util.Optional.of(false);
                case "private", "protected" -> java.util.Optional.of(true);
                default -> throw QuiverException.badRequest("visibility must be public or private, not '" + v + "'");
            };
        }
        if (body.hasNonNull("private")) {
            JsonNode p = body.get("private");
            return java.util.Optional.of(p.isBoolean() ? p.asBoolean() : Call.isTrue(p.asText()));
        }
        return java.util.Optional.empty();
    }

    static PersonIdent ident(Caller caller) {
        String email = caller.user().map(u -> u.email().isEmpty() ? u.name() + "@users.quiver" : u.email())
                .orElse("anonymous@users.quiver");
        return new PersonIdent(caller.name(), email);
    }
}

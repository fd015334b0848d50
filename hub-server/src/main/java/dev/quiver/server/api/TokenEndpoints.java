package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.AccountService;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Personal access tokens: {@code GET|POST /api/settings/tokens}, {@code DELETE /api/settings/tokens/{id}},
 * and {@code POST /api/admin/users/{user}/tokens} for a site admin making one for another account.
 * A new token's secret is in the creation answer only.
 */
public final class TokenEndpoints {
    private final AccountService accounts;

    public TokenEndpoints(AccountService accounts) {
        this.accounts = accounts;
    }

    public void routes(Router.Builder r) {
        r.get("/api/settings/tokens", this::list);
        r.post("/api/settings/tokens", this::create);
        r.delete("/api/settings/tokens/{id}", this::revoke);
        r.post("/api/admin/users/{user}/tokens", this::createFor);
    }

    private void list(Call call) {
        call.sendJson(accounts.tokens(call.caller()).stream().map(TokenEndpoints::json).toList());
    }

    private void create(Call call) {
        Request req = Request.parse(call.json());
        TokenService.NewToken made = accounts.createToken(call.caller(), req.name(), req.role(), req.repos(),
                Authenticator.source(call.request()));
        call.sendJson(created(made));
    }

    private void createFor(Call call) {
        Request req = Request.parse(call.json());
        TokenService.NewToken made = accounts.createTokenFor(call.caller(), call.var("user"), req.name(), req.role(),
                req.repos(), Authenticator.source(call.request()));
        call.sendJson(created(made));
    }

    private void revoke(Call call) {
        long id;
        try {
            id = Long.parseLong(call.var("id"));
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("a token id is a number");
        }
        accounts.revokeToken(call.caller(), id, Authenticator.source(call.request()));
        call.sendJson(Map.of());
    }

    /** A creation request: {@code {"name": .., "role": "read"|"write", "repos": ["acme/x", "datasets/acme/y"]}}. */
    record Request(String name, AccessToken.Role role, List<RepoId> repos) {
        static Request parse(JsonNode body) {
            List<String> problems = new ArrayList<>();
            String name = body.path("name").asText("");
            if (!body.path("name").isTextual() || name.isBlank()) {
                problems.add("name: a token needs a name");
            }
            String roleText = body.path("role").asText("read");
            AccessToken.Role role = AccessToken.Role.parse(roleText).orElse(AccessToken.Role.READ);
            if (AccessToken.Role.parse(roleText).isEmpty()) {
                problems.add("role: must be read or write, not '" + roleText + "'");
            }
            List<RepoId> repos = new ArrayList<>();
            JsonNode list = body.path("repos");
            if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                problems.add("repos: must be a list of repository ids");
            }
            for (JsonNode r : list) {
                try {
                    repos.add(repoId(r.asText("")));
                } catch (QuiverException e) {
                    problems.add("repos: " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                throw new QuiverException(dev.quiver.server.Reason.BAD_REQUEST, String.join("; ", problems), problems);
            }
            return new Request(name, role, repos);
        }
    }

    /** {@code owner/name} (a model), or {@code models/…} / {@code datasets/…}. */
    static RepoId repoId(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length == 3) {
            RepoType type = HostedTypes.fromPlural(parts[0]).orElseThrow(() -> QuiverException.badRequest(
                    "unknown repository type in '" + text + "'"));
            return new RepoId(type, parts[1], parts[2]);
        }
        return RepoId.of(RepoType.MODEL, text);
    }

    static Map<String, Object> json(AccessToken t) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", t.id());
        o.put("name", t.displayName());
        o.put("role", t.role().wire());
        o.put("repos", t.repos().stream().map(r -> r.type().plural() + "/" + r.id()).toList());
        o.put("createdAt", Dates.iso(t.createdAt()));
        o.put("lastUsedAt", t.lastUsedAt().map(Dates::iso).orElse(null));
        return o;
    }

    private static Map<String, Object> created(TokenService.NewToken made) {
        Map<String, Object> o = json(made.token());
        o.put("token", made.secret());
        return o;
    }
}

package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.auth.AccountService;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.OrgRole;
import dev.quiver.server.auth.User;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Organizations and their members: {@code POST /api/organizations} (the creator becomes its admin),
 * {@code GET /api/organizations/{org}/members}, {@code PUT|DELETE /api/organizations/{org}/members/{user}}
 * with {@code {"role": "read"|"write"|"admin"}}.
 */
public final class OrgEndpoints {
    private final AccountService accounts;

    public OrgEndpoints(AccountService accounts) {
        this.accounts = accounts;
    }

    public void routes(Router.Builder r) {
        r.post("/api/organizations", this::create);
        r.get("/api/organizations/{org}/members", this::members);
        r.put("/api/organizations/{org}/members/{user}", this::setMember);
        r.delete("/api/organizations/{org}/members/{user}", this::removeMember);
    }

    private void create(Call call) {
        JsonNode body = call.json();
        User org = accounts.createOrg(call.caller(), body.path("name").asText(""), body.path("fullname").asText(""),
                Authenticator.source(call.request()));
        call.sendJson(Map.of("type", "org", "id", Long.toString(org.id()), "name", org.name(), "fullname",
                org.fullname()));
    }

    private void members(Call call) {
        call.sendJson(accounts.members(call.caller(), call.var("org")).stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("user", m.name());
            o.put("role", m.role().wire());
            o.put("source", m.source());
            return o;
        }).toList());
    }

    private void setMember(Call call) {
        String wire = call.json().path("role").asText("");
        OrgRole role = OrgRole.parse(wire).orElseThrow(() -> QuiverException.badRequest(
                "role must be read, write or admin, not '" + wire + "'"));
        accounts.setMember(call.caller(), call.var("org"), call.var("user"), role, Authenticator.source(call.request()));
        call.sendJson(Map.of("user", call.var("user"), "role", role.wire()));
    }

    private void removeMember(Call call) {
        accounts.removeMember(call.caller(), call.var("org"), call.var("user"), Authenticator.source(call.request()));
        call.sendJson(Map.of());
    }
}

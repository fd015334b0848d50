package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.auth.AccountService;
import dev.quiver.server.auth.AuditLog;
import dev.quiver.server.auth.Authenticator;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.auth.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Site administration: local accounts ({@code GET|POST /api/admin/users},
 * {@code PUT /api/admin/users/{user}/admin}), passwords ({@code PUT /api/users/{user}/password}, the
 * user itself or an admin) and the audit log ({@code GET /api/admin/audit?action=&actor=&before=&limit=}).
 */
public final class AdminEndpoints {
    private final AccountService accounts;
    private final AuditLog audit;
    private final Permissions permissions;

    public AdminEndpoints(AccountService accounts, AuditLog audit, Permissions permissions) {
        this.accounts = accounts;
        this.audit = audit;
        this.permissions = permissions;
    }

    public void routes(Router.Builder r) {
        r.get("/api/admin/users", this::users);
        r.post("/api/admin/users", this::createUser);
        r.put("/api/admin/users/{user}/admin", this::setAdmin);
        r.put("/api/users/{user}/password", this::setPassword);
        r.get("/api/admin/audit", this::audit);
    }

    private void users(Call call) {
        call.sendJson(accounts.users(call.caller()).stream().map(AdminEndpoints::json).toList());
    }

    private void createUser(Call call) {
        JsonNode b = call.json();
        Optional<String> password = b.path("password").isTextual() ? Optional.of(b.get("password").asText())
                : Optional.empty();
        User user = accounts.createUser(call.caller(), new AccountService.NewUser(b.path("name").asText(""),
                b.path("fullname").asText(""), b.path("email").asText(""), password, b.path("admin").asBoolean(false)),
                Authenticator.source(call.request()));
        call.sendJson(json(user));
    }

    private void setAdmin(Call call) {
        JsonNode admin = call.json().path("admin");
        if (!admin.isBoolean()) {
            throw QuiverException.badRequest("admin must be true or false");
        }
        accounts.setSiteAdmin(call.caller(), call.var("user"), admin.asBoolean(), Authenticator.source(call.request()));
        call.sendJson(Map.of("name", call.var("user"), "admin", admin.asBoolean()));
    }

    private void setPassword(Call call) {
        JsonNode password = call.json().path("password");
        if (!password.isTextual()) {
            throw QuiverException.badRequest("password must be a string");
        }
        accounts.setPassword(call.caller(), call.var("user"), password.asText(), Authenticator.source(call.request()));
        call.sendJson(Map.of());
    }

    private void audit(Call call) {
        permissions.requireSiteAdmin(call.caller());
        int limit = number(call.query("limit").orElse("100"));
        Optional<Long> before = call.query("before").map(b -> (long) number(b));
        var events = audit.query(new AuditLog.Query(call.query("action"), call.query("actor"), before, limit));
        call.sendJson(events.stream().map(e -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", e.id());
            o.put("at", Dates.iso(e.at()));
            o.put("actor", e.actor());
            o.put("action", e.action());
            o.put("target", e.target());
            o.put("detail", e.detail());
            o.put("source", e.source());
            return o;
        }).toList());
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("'" + s + "' is not a number");
        }
    }

    private static Map<String, Object> json(User u) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", Long.toString(u.id()));
        o.put("name", u.name());
        o.put("fullname", u.fullname());
        o.put("email", u.email());
        o.put("isAdmin", u.isAdmin());
        o.put("createdAt", Dates.iso(u.createdAt()));
        return o;
    }
}

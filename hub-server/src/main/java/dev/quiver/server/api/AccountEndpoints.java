package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.Caller;
import dev.quiver.server.auth.OrgRole;
import dev.quiver.server.auth.User;
import dev.quiver.server.auth.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/whoami-v2} in the exact shape the HF clients read: the JS client needs
 * {@code auth.accessToken}, {@code hf auth whoami} reads {@code orgs[].name}.
 */
public final class AccountEndpoints {
    private final UserStore users;

    public AccountEndpoints(UserStore users) {
        this.users = users;
    }

    public void routes(Router.Builder r) {
        r.get("/api/whoami-v2", this::whoami);
    }

    private void whoami(Call call) {
        Caller caller = call.caller();
        User user = caller.user().orElseThrow(() -> new QuiverException(Reason.UNAUTHORIZED,
                "Invalid credentials in Authorization header"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "user");
        body.put("id", Long.toString(user.id()));
        body.put("name", user.name());
        body.put("fullname", user.fullname());
        body.put("email", user.email());
        body.put("emailVerified", !user.email().isEmpty());
        body.put("isPro", false);
        body.put("canPay", false);
        body.put("avatarUrl", "");
        body.put("isAdmin", user.isAdmin());
        body.put("orgs", orgs(caller));
        body.put("auth", auth(caller));
        call.sendJson(body);
    }

    private List<Map<String, Object>> orgs(Caller caller) {
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(caller.orgs()).forEach((name, role) -> users.byName(name).ifPresent(org -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", "org");
            o.put("id", Long.toString(org.id()));
            o.put("name", name);
            o.put("fullname", org.fullname());
            o.put("email", "");
            o.put("isEnterprise", false);
            o.put("avatarUrl", "");
            o.put("roleInOrg", role == OrgRole.READ ? "read" : role.wire());
            out.add(o);
        }));
        return out;
    }

    private static Map<String, Object> auth(Caller caller) {
        Map<String, Object> accessToken = new LinkedHashMap<>();
        if (caller.token().isPresent()) {
            AccessToken token = caller.token().get();
            accessToken.put("displayName", token.displayName());
            accessToken.put("role", token.role().wire());
            accessToken.put("createdAt", Dates.iso(token.createdAt()));
            if (token.isLimited()) {
                accessToken.put("repos", token.repos().stream().map(r -> r.type().plural() + "/" + r.id()).toList());
            }
            return Map.of("type", "access_token", "accessToken", accessToken);
        }
        // signed in through the identity provider or a browser session: the user's own rights
        accessToken.put("displayName", caller.via() == Caller.Via.OIDC ? "identity provider" : "browser session");
        accessToken.put("role", "write");
        accessToken.put("createdAt", Dates.iso(Instant.now()));
        return Map.of("type", caller.via() == Caller.Via.OIDC ? "oauth" : "session", "accessToken", accessToken);
    }
}

package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.AccessToken;
import dev.quiver.server.auth.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/whoami-v2} in the exact shape the HF clients read (the JS client needs {@code auth.accessToken}). */
public final class AccountEndpoints {
    public void routes(Router.Builder r) {
        r.get("/api/whoami-v2", this::whoami);
    }

    private void whoami(Call call) {
        User user = call.caller().user().orElseThrow(() -> new QuiverException(Reason.UNAUTHORIZED,
                "Invalid credentials in Authorization header"));
        AccessToken token = call.caller().token().orElseThrow();
        Map<String, Object> accessToken = new LinkedHashMap<>();
        accessToken.put("displayName", token.displayName());
        accessToken.put("role", token.role().wire());
        accessToken.put("createdAt", Dates.iso(token.createdAt()));
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
        body.put("orgs", List.of());
        body.put("auth", Map.of("type", "access_token", "accessToken", accessToken));
        call.sendJson(body);
    }
}

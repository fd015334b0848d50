package dev.quiver.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.hooks.Webhook;
import dev.quiver.server.hooks.WebhookStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks in HF's API shape ({@code /api/settings/webhooks}; replies {@code {"webhook": {...}}}),
 * plus Quiver's delivery log and replay.
 */
public final class WebhookEndpoints {
    private static final Set<String> TYPES = Set.of("model", "dataset", "user", "org");

    private final WebhookStore store;

    public WebhookEndpoints(WebhookStore store) {
        this.store = store;
    }

    public void routes(Router.Builder r) {
        r.get("/api/settings/webhooks", this::list);
        r.post("/api/settings/webhooks", this::create);
        r.get("/api/settings/webhooks/{id}", c -> c.sendJson(Map.of("webhook", wire(owned(c)))));
        r.post("/api/settings/webhooks/{id}", this::update);
        r.delete("/api/settings/webhooks/{id}", this::delete);
        r.post("/api/settings/webhooks/{id}/enable", c -> toggle(c, false));
        r.post("/api/settings/webhooks/{id}/disable", c -> toggle(c, true));
        r.get("/api/settings/webhooks/{id}/deliveries", this::deliveries);
        r.post("/api/settings/webhooks/{id}/deliveries/{delivery}/replay", this::replay);
    }

    private void list(Call call) {
        requireUser(call);
        call.sendJson(store.byOwner(call.caller().name()).stream().map(WebhookEndpoints::wire).toList());
    }

    private void create(Call call) {
        requireUser(call);
        JsonNode body = call.json();
        Webhook hook = store.create(call.caller().name(), url(body), watched(body), domains(body),
                body.path("secret").asText(""));
        call.sendJson(Map.of("webhook", wire(hook)));
    }

    private void update(Call call) {
        Webhook hook = owned(call);
        JsonNode body = call.json();
        call.sendJson(Map.of("webhook", wire(store.update(hook.id(), url(body), watched(body), domains(body),
                body.path("secret").asText(hook.secret())))));
    }

    private void delete(Call call) {
        store.delete(owned(call).id());
        call.sendJson(Map.of());
    }

    private void toggle(Call call, boolean disabled) {
        Webhook hook = owned(call);
        store.setDisabled(hook.id(), disabled);
        call.sendJson(Map.of("webhook", wire(store.get(hook.id()).orElseThrow())));
    }

    private void deliveries(Call call) {
        Webhook hook = owned(call);
        List<Map<String, Object>> out = new ArrayList<>();
        for (WebhookStore.Delivery d : store.deliveries(hook.id(), 200)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("repo", d.repo());
            m.put("state", d.state());
            m.put("attempts", d.attempts());
            m.put("lastStatus", d.lastStatus().orElse(null));
            m.put("lastError", d.lastError());
            m.put("createdAt", Dates.iso(d.createdAt()));
            m.put("payload", d.payload());
            out.add(m);
        }
        call.sendJson(out);
    }

    private void replay(Call call) {
        Webhook hook = owned(call);
        try {
            store.replay(hook.id(), Long.parseLong(call.var("delivery")));
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("delivery ids are numbers");
        }
        call.sendJson(Map.of());
    }

    private Webhook owned(Call call) {
        requireUser(call);
        return store.get(call.var("id")).filter(h -> h.owner().equals(call.caller().name()) || call.caller().isAdmin())
                .orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "Webhook not found"));
    }

    private static void requireUser(Call call) {
        if (call.caller().isAnonymous()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "You must be authenticated to manage webhooks: pass a token");
        }
    }

    private static String url(JsonNode body) {
        String url = body.path("url").asText("");
        try {
            URI uri = URI.create(url);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null
                    || url.length() > 2048) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw QuiverException.badRequest("url must be an http(s) URL, not '" + url + "'");
        }
        return url;
    }

    private static List<Webhook.Watched> watched(JsonNode body) {
        List<Webhook.Watched> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode w : body.path("watched")) {
            String type = w.path("type").asText("");
            String name = w.path("name").asText("");
            if (!TYPES.contains(type) || name.isEmpty()) {
                problems.add("watched entry " + w + " needs type model, dataset, user or org and a name");
            } else {
                out.add(new Webhook.Watched(type, name));
            }
        }
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add("watched must list at least one {type, name}");
        }
        if (!problems.isEmpty()) {
            throw new QuiverException(Reason.BAD_REQUEST, String.join("; ", problems), problems);
        }
        return out;
    }

    private static List<String> domains(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("domains").forEach(d -> out.add(d.asText()));
        return out;
    }

    private static Map<String, Object> wire(Webhook h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("url", h.url());
        m.put("watched", h.watched());
        m.put("domains", h.domains());
        m.put("secret", h.secret());
        m.put("disabled", h.disabled());
        return m;
    }
}

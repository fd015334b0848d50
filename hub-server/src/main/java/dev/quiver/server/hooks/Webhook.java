package dev.quiver.server.hooks;

import java.util.List;

/**
 * A webhook as HF defines it: a URL, what it watches (repositories by {@code type}/{@code name}, or
 * every repository of a user or org), which domains of events it wants, and the secret sent back in
 * {@code X-Webhook-Secret}.
 */
public record Webhook(String id, String owner, String url, List<Watched> watched, List<String> domains, String secret,
        boolean disabled) {
    /** One watched thing: {@code {type: model|dataset|user|org, name}}. */
    public record Watched(String type, String name) {
    }

    /** Whether an event on repository {@code repoId} of {@code repoType} concerns this webhook. */
    public boolean watches(String repoType, String repoId) {
        String owner = repoId.substring(0, repoId.indexOf('/'));
        return watched.stream().anyMatch(w -> (w.type().equals(repoType) && w.name().equals(repoId))
                || ((w.type().equals("user") || w.type().equals("org")) && w.name().equals(owner)));
    }
}

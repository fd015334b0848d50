package dev.quiver.server.hooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.auth.UserStore;
import dev.quiver.server.auth.User;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revisions;
import java.util.Optional;

/**
 * Turns outbox events into webhook deliveries, in HF's payload shape ({@code event}, {@code repo},
 * {@code webhook}, {@code updatedRefs}) with Quiver's verification and job outcomes as extra scopes.
 * A private repository's events go only to webhooks of its owner or of an admin.
 */
public final class WebhookDispatcher {
    private final WebhookStore store;
    private final RepoStore repos;
    private final UserStore users;
    private final String baseUrl;

    public WebhookDispatcher(WebhookStore store, RepoStore repos, UserStore users, String baseUrl) {
        this.store = store;
        this.repos = repos;
        this.users = users;
        this.baseUrl = baseUrl;
    }

    /** The outbox consumer. */
    public void on(RepoEvent event) {
        if (event.kind() == RepoEvent.Kind.REF_UPDATED && event.ref().startsWith("refs/notes/")) {
            return; // verdicts arrive as CHECKS_RECORDED instead of as raw notes commits
        }
        Optional<RepoInfo> info = repos.info(event.repo());
        boolean isPrivate = info.map(RepoInfo::isPrivate).orElse(false);
        String domain = event.kind() == RepoEvent.Kind.JOB_FINISHED ? "job" : "repo";
        for (Webhook hook : store.all()) {
            if (!hook.watches(event.repo().type().singular(), event.repo().id())
                    || !(hook.domains().isEmpty() || hook.domains().contains(domain))
                    || isPrivate && !mayRead(hook.owner(), event.repo().owner())) {
                continue;
            }
            store.enqueue(hook.id(), event.repo().webPath(), event.seq(), payload(hook, event, isPrivate));
        }
    }

    private boolean mayRead(String hookOwner, String repoOwner) {
        return hookOwner.equals(repoOwner) || users.byName(hookOwner).map(User::isAdmin).orElse(false);
    }

    private String payload(Webhook hook, RepoEvent event, boolean isPrivate) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode e = root.putObject("event");
        switch (event.kind()) {
            case REF_UPDATED -> e.put("action", "update").put("scope", "repo.content");
            case REPO_CREATED -> e.put("action", "create").put("scope", "repo");
            case REPO_DELETED -> e.put("action", "delete").put("scope", "repo");
            case REPO_SETTINGS_CHANGED -> e.put("action", "update").put("scope", "repo.config");
            case CHECKS_RECORDED -> e.put("action", "update").put("scope", "repo.verification");
            case JOB_FINISHED -> e.put("action", "update").put("scope", "job");
        }
        ObjectNode repo = root.putObject("repo");
        repo.put("type", event.repo().type().singular()).put("name", event.repo().id()).put("id", event.repo().id())
                .put("private", isPrivate);
        repo.putObject("url").put("web", baseUrl + "/" + event.repo().webPath())
                .put("api", baseUrl + "/api/" + event.repo().type().plural() + "/" + event.repo().id());
        repo.putObject("owner").put("id", event.repo().owner());
        headSha(event).ifPresent(sha -> repo.put("headSha", sha));
        root.putObject("webhook").put("id", hook.id()).put("version", 3);
        if (event.kind() == RepoEvent.Kind.REF_UPDATED) {
            root.putArray("updatedRefs").addObject().put("ref", event.ref()).put("oldSha", event.oldId())
                    .put("newSha", event.newId());
        } else if (event.kind() == RepoEvent.Kind.CHECKS_RECORDED) {
            root.putObject("verification").put("commit", event.ref()).put("status", event.newId());
        } else if (event.kind() == RepoEvent.Kind.JOB_FINISHED) {
            root.putObject("job").put("id", event.ref()).put("status", event.newId())
                    .put("url", baseUrl + "/api/jobs/" + event.repo().owner() + "/" + event.ref());
        }
        return root.toString();
    }

    private Optional<String> headSha(RepoEvent event) {
        if (event.kind() == RepoEvent.Kind.REPO_DELETED || repos.info(event.repo()).isEmpty()) {
            return Optional.empty();
        }
        return Revisions.find(repos.git(event.repo()), RepoStore.DEFAULT_BRANCH).map(r -> r.sha());
    }
}

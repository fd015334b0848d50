package dev.quiver.server.auth;

import static dev.quiver.server.auth.AuthClient.json;
import static dev.quiver.server.auth.AuthClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.TestHub;
import dev.quiver.server.db.Database;
import dev.quiver.server.jobs.JobKind;
import dev.quiver.server.jobs.JobSpec;
import dev.quiver.server.jobs.JobStore;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every route of the hub × every kind of caller × public and private repositories (owned by an
 * organization and by a user, models and datasets), checked against one table that says what each
 * route needs. The table must name every route the hub serves ({@code GET /api/quiver/routes}), so a
 * new endpoint fails this test until its access rule is written down here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PermissionMatrixIT {
    /** What a route needs. */
    enum Need {
        /** reading the repository: private ones only with a role for its owner */
        READ,
        /** writing to the repository: role write or admin */
        WRITE,
        /** deleting, moving, visibility and settings: role admin */
        MANAGE,
        /** creating under an owner: role write or admin there */
        CREATE,
        /** lists where only readable repositories (or jobs) may show up */
        LISTED,
        /** anyone, signed in or not */
        ANYONE,
        /** anyone signed in */
        SIGNED_IN,
        /** members of the organization see it; non-members are told it does not exist */
        ORG_MEMBER,
        /** admins of the organization */
        ORG_ADMIN,
        /** site admins */
        SITE_ADMIN,
        /** things a user owns (webhooks): its owner and site admins; others are told it does not exist */
        OWN,
        /** capability URLs: refused (401 or 403) to everyone without the hub's signature */
        SIGNED_URL
    }

    /** Where a probe runs: once, per owner, or per repository (models only, or both types). */
    enum Scope {
        ONCE, OWNER, REPO_MODELS, REPO_DATASETS, REPO_BOTH
    }

    enum Who {
        ANONYMOUS, OUTSIDER, ORG_READER, ORG_WRITER, ORG_ADMIN, REPO_OWNER, SITE_ADMIN
    }

    enum Outcome {
        OK, HIDDEN, UNAUTHORIZED, FORBIDDEN
    }

    /** One repository of the matrix. */
    record Repo(RepoId id, boolean isPrivate) {
        String api() {
            return "/api/" + id.type().plural() + "/" + id.id();
        }

        String web() {
            return "/" + id.webPath();
        }
    }

    /** A request to make for one cell; {@code marker} is what a LISTED answer must contain iff readable. */
    record Req(String method, String path, String body, String contentType, String marker) {
        static Req of(String method, String path) {
            return new Req(method, path, null, "application/json", "");
        }

        Req body(String json) {
            return new Req(method, path, json, contentType, marker);
        }

        Req type(String t) {
            return new Req(method, path, body, t, marker);
        }

        Req marker(String m) {
            return new Req(method, path, body, contentType, m);
        }
    }

    @FunctionalInterface
    interface Build {
        Req at(Cell cell);
    }

    /** The caller and (for repository scopes) the repository of one cell. */
    record Cell(Who who, Optional<Repo> repo, String owner) {
    }

    record Probe(String route, Need need, Scope scope, Build build) {
    }

    static final String ZERO_OID = "0".repeat(64);
    static final AtomicInteger SEQ = new AtomicInteger();
    static TestHub hub;
    static AuthClient api;
    static final Map<Who, String> TOKENS = new LinkedHashMap<>();
    static final List<Repo> REPOS = new ArrayList<>();
    static final Map<RepoId, String> JOBS = new HashMap<>();
    /** A webhook of the repo owner's. */
    static String hook;

    /** THE table: every route, what it needs, where it runs, and a request that exercises it. */
    static List<Probe> table() {
        List<Probe> t = new ArrayList<>();
        // repositories: lifecycle
        t.add(new Probe("POST /api/repos/create", Need.CREATE, Scope.OWNER, c -> Req.of("POST", "/api/repos/create")
                .body("{\"organization\":\"" + c.owner() + "\",\"name\":\"made-" + SEQ.incrementAndGet() + "\"}")));
        t.add(new Probe("DELETE /api/repos/delete", Need.MANAGE, Scope.REPO_BOTH, c -> {
            Repo scratch = scratch(c.repo().orElseThrow());
            return Req.of("DELETE", "/api/repos/delete").body("{\"type\":\"" + scratch.id().type().singular()
                    + "\",\"name\":\"" + scratch.id().id() + "\"}");
        }));
        t.add(new Probe("POST /api/repos/move", Need.MANAGE, Scope.REPO_BOTH, c -> {
            Repo scratch = scratch(c.repo().orElseThrow());
            return Req.of("POST", "/api/repos/move").body("{\"type\":\"" + scratch.id().type().singular()
                    + "\",\"fromRepo\":\"" + scratch.id().id() + "\",\"toRepo\":\"" + scratch.id().owner() + "/moved-"
                    + SEQ.incrementAndGet() + "\"}");
        }));
        t.add(new Probe("PUT /api/{type}/{ns}/{name}/settings", Need.MANAGE, Scope.REPO_BOTH,
                c -> Req.of("PUT", api(c) + "/settings").body("{\"gated\":false}")));
        // repositories: reading
        t.add(new Probe("GET /api/{type}/{ns}/{name}", Need.READ, Scope.REPO_BOTH, c -> Req.of("GET", api(c))));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/revision/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", api(c) + "/revision/main")));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/tree/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", api(c) + "/tree/main")));
        t.add(new Probe("POST /api/{type}/{ns}/{name}/paths-info/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("POST", api(c) + "/paths-info/main").body("paths=.gitattributes")
                        .type("application/x-www-form-urlencoded")));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/refs", Need.READ, Scope.REPO_BOTH, c -> Req.of("GET", api(c) + "/refs")));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/commits/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", api(c) + "/commits/main")));
        t.add(new Probe("GET /{ns}/{name}/resolve/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", web(c) + "/resolve/main/.gitattributes")));
        t.add(new Probe("GET /{ns}/{name}/raw/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", web(c) + "/raw/main/.gitattributes")));
        t.add(new Probe("GET /api/quiver/{type}/{ns}/{name}/card/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", "/api/quiver/" + c.repo().get().id().type().plural() + "/" + c.repo().get().id().id()
                        + "/card/main")));
        t.add(new Probe("GET /api/quiver/{type}/{ns}/{name}/commit/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", "/api/quiver/" + c.repo().get().id().type().plural() + "/" + c.repo().get().id().id()
                        + "/commit/main")));
        t.add(new Probe("GET /api/quiver/models/{ns}/{name}/adapters", Need.READ, Scope.REPO_MODELS,
                c -> Req.of("GET", "/api/quiver/models/" + c.repo().get().id().id() + "/adapters")));
        // repositories: writing
        t.add(new Probe("POST /api/{type}/{ns}/{name}/preupload/{rev*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", api(c) + "/preupload/main").body("{\"files\":[{\"path\":\"a.bin\",\"size\":1,"
                        + "\"sample\":\"YQ==\"}]}")));
        t.add(new Probe("POST /api/{type}/{ns}/{name}/commit/{rev*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", api(c) + "/commit/main").type("application/x-ndjson")
                        .body("{\"key\":\"header\",\"value\":{\"summary\":\"m\"}}\n{\"key\":\"file\",\"value\":{\"path\":\"f"
                                + SEQ.incrementAndGet() + ".txt\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}\n")));
        t.add(new Probe("POST /api/{type}/{ns}/{name}/branch/{branch*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", api(c) + "/branch/b" + SEQ.incrementAndGet()).body("{}")));
        t.add(new Probe("DELETE /api/{type}/{ns}/{name}/branch/{branch*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("DELETE", api(c) + "/branch/nope")));
        t.add(new Probe("POST /api/{type}/{ns}/{name}/tag/{rev*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", api(c) + "/tag/main").body("{\"tag\":\"t" + SEQ.incrementAndGet() + "\"}")));
        t.add(new Probe("DELETE /api/{type}/{ns}/{name}/tag/{tag*}", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("DELETE", api(c) + "/tag/nope")));
        // git smart HTTP and LFS
        t.add(new Probe("GET /{ns}/{name}/info/refs", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", web(c) + ".git/info/refs?service=git-upload-pack")));
        t.add(new Probe("GET /{ns}/{name}/info/refs", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("GET", web(c) + ".git/info/refs?service=git-receive-pack")));
        t.add(new Probe("POST /{ns}/{name}/git-upload-pack", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/git-upload-pack").type("application/x-git-upload-pack-request")
                        .body("0000")));
        t.add(new Probe("POST /{ns}/{name}/git-receive-pack", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/git-receive-pack").type("application/x-git-receive-pack-request")
                        .body("0000")));
        t.add(new Probe("POST /{ns}/{name}/info/lfs/objects/batch", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/info/lfs/objects/batch").type("application/vnd.git-lfs+json")
                        .body("{\"operation\":\"download\",\"objects\":[{\"oid\":\"" + ZERO_OID + "\",\"size\":1}]}")));
        t.add(new Probe("POST /{ns}/{name}/info/lfs/objects/batch", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/info/lfs/objects/batch").type("application/vnd.git-lfs+json")
                        .body("{\"operation\":\"upload\",\"objects\":[{\"oid\":\"" + ZERO_OID + "\",\"size\":1}]}")));
        t.add(new Probe("GET /{ns}/{name}/info/lfs/locks", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", web(c) + ".git/info/lfs/locks")));
        t.add(new Probe("POST /{ns}/{name}/info/lfs/locks", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/info/lfs/locks").type("application/vnd.git-lfs+json")
                        .body("{\"path\":\"l" + SEQ.incrementAndGet() + ".bin\"}")));
        t.add(new Probe("POST /{ns}/{name}/info/lfs/locks/verify", Need.WRITE, Scope.REPO_BOTH,
                c -> Req.of("POST", web(c) + ".git/info/lfs/locks/verify").type("application/vnd.git-lfs+json")
                        .body("{}")));
        t.add(new Probe("PUT /api/lfs/upload/{oid}/{size}", Need.SIGNED_URL, Scope.ONCE,
                c -> Req.of("PUT", "/api/lfs/upload/" + ZERO_OID + "/1").type("application/octet-stream").body("a")));
        t.add(new Probe("PUT /api/lfs/part/{upload}/{offset}/{length}", Need.SIGNED_URL, Scope.ONCE,
                c -> Req.of("PUT", "/api/lfs/part/u1/0/1").type("application/octet-stream").body("a")));
        t.add(new Probe("POST /api/lfs/complete/{upload}/{size}", Need.SIGNED_URL, Scope.ONCE,
                c -> Req.of("POST", "/api/lfs/complete/u1/1").body("{}")));
        t.add(new Probe("GET /api/lfs/objects/{oid}", Need.SIGNED_URL, Scope.ONCE,
                c -> Req.of("GET", "/api/lfs/objects/" + ZERO_OID)));
        // the verify action answers only whether a blob of that hash and size is stored
        t.add(new Probe("POST /api/lfs/verify", Need.ANYONE, Scope.ONCE,
                c -> Req.of("POST", "/api/lfs/verify").body("{\"oid\":\"" + ZERO_OID + "\",\"size\":1}")));
        // search and lists: private repositories appear only to those who may read them
        t.add(new Probe("GET /api/models", Need.LISTED, Scope.REPO_MODELS,
                c -> Req.of("GET", "/api/models?author=" + c.repo().get().id().owner()).marker(marker(c))));
        t.add(new Probe("GET /api/datasets", Need.LISTED, Scope.REPO_DATASETS,
                c -> Req.of("GET", "/api/datasets?author=" + c.repo().get().id().owner()).marker(marker(c))));
        t.add(new Probe("GET /api/quiver/search", Need.LISTED, Scope.REPO_BOTH,
                c -> Req.of("GET", "/api/quiver/search?type=" + c.repo().get().id().type().singular() + "&author="
                        + c.repo().get().id().owner()).marker(marker(c))));
        // jobs
        t.add(new Probe("GET /api/jobs/{ns}", Need.LISTED, Scope.REPO_MODELS,
                c -> Req.of("GET", "/api/jobs/" + c.repo().get().id().owner()).marker(JOBS.get(c.repo().get().id()))));
        t.add(new Probe("GET /api/jobs/{ns}/{id}", Need.READ, Scope.REPO_MODELS, c -> Req.of("GET", job(c))));
        t.add(new Probe("GET /api/jobs/{ns}/{id}/logs", Need.READ, Scope.REPO_MODELS,
                c -> Req.of("GET", job(c) + "/logs?follow=false")));
        t.add(new Probe("GET /api/jobs/{ns}/{id}/metrics", Need.READ, Scope.REPO_MODELS,
                c -> Req.of("GET", job(c) + "/metrics?follow=false")));
        t.add(new Probe("GET /api/jobs/{ns}/{id}/events", Need.READ, Scope.REPO_MODELS,
                c -> Req.of("GET", job(c) + "/events")));
        t.add(new Probe("POST /api/jobs/{ns}/{id}/cancel", Need.WRITE, Scope.REPO_MODELS,
                c -> Req.of("POST", job(c) + "/cancel").body("{}")));
        t.add(new Probe("POST /api/quiver/train", Need.WRITE, Scope.REPO_MODELS,
                c -> Req.of("POST", "/api/quiver/train").body("{\"repo\":\"" + c.repo().get().id().id() + "\"}")));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/jobs", Need.READ, Scope.REPO_BOTH, c -> Req.of("GET", api(c) + "/jobs")));
        t.add(new Probe("GET /api/{type}/{ns}/{name}/checks/{rev*}", Need.READ, Scope.REPO_BOTH,
                c -> Req.of("GET", api(c) + "/checks/main")));
        // runners are site-admin credentials
        t.add(new Probe("POST /api/runners", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("POST", "/api/runners").body("{\"name\":\"r\",\"capabilities\":{}}")));
        for (String op : List.of("heartbeat", "logs", "metrics", "complete")) {
            t.add(new Probe("POST /api/runners/{runner}/jobs/{job}/" + op, Need.SITE_ADMIN, Scope.ONCE,
                    c -> Req.of("POST", "/api/runners/nope/jobs/nope/" + op).body("{}")));
        }
        t.add(new Probe("POST /api/runners/{runner}/claim", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("POST", "/api/runners/nope/claim?wait=0").body("{}")));
        // accounts
        t.add(new Probe("GET /api/whoami-v2", Need.SIGNED_IN, Scope.ONCE, c -> Req.of("GET", "/api/whoami-v2")));
        t.add(new Probe("GET /api/settings/tokens", Need.SIGNED_IN, Scope.ONCE, c -> Req.of("GET", "/api/settings/tokens")));
        t.add(new Probe("POST /api/settings/tokens", Need.SIGNED_IN, Scope.ONCE,
                c -> Req.of("POST", "/api/settings/tokens").body("{\"name\":\"m\",\"role\":\"read\"}")));
        t.add(new Probe("DELETE /api/settings/tokens/{id}", Need.SIGNED_IN, Scope.ONCE,
                c -> Req.of("DELETE", "/api/settings/tokens/999999")));
        t.add(new Probe("POST /api/organizations", Need.SIGNED_IN, Scope.ONCE,
                c -> Req.of("POST", "/api/organizations").body("{\"name\":\"org" + SEQ.incrementAndGet() + "\"}")));
        t.add(new Probe("GET /api/organizations/{org}/members", Need.ORG_MEMBER, Scope.ONCE,
                c -> Req.of("GET", "/api/organizations/acme/members")));
        t.add(new Probe("PUT /api/organizations/{org}/members/{user}", Need.ORG_ADMIN, Scope.ONCE,
                c -> Req.of("PUT", "/api/organizations/acme/members/dummy").body("{\"role\":\"read\"}")));
        t.add(new Probe("DELETE /api/organizations/{org}/members/{user}", Need.ORG_ADMIN, Scope.ONCE, c -> {
            ok(api.send("PUT", "/api/organizations/acme/members/dummy", TestHub.ADMIN_TOKEN, "{\"role\":\"read\"}"));
            return Req.of("DELETE", "/api/organizations/acme/members/dummy");
        }));
        t.add(new Probe("GET /api/admin/users", Need.SITE_ADMIN, Scope.ONCE, c -> Req.of("GET", "/api/admin/users")));
        t.add(new Probe("POST /api/admin/users", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("POST", "/api/admin/users").body("{\"name\":\"u" + SEQ.incrementAndGet() + "\"}")));
        t.add(new Probe("PUT /api/admin/users/{user}/admin", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("PUT", "/api/admin/users/dummy/admin").body("{\"admin\":false}")));
        t.add(new Probe("POST /api/admin/users/{user}/tokens", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("POST", "/api/admin/users/dummy/tokens").body("{\"name\":\"x\"}")));
        t.add(new Probe("PUT /api/users/{user}/password", Need.SITE_ADMIN, Scope.ONCE,
                c -> Req.of("PUT", "/api/users/dummy/password").body("{\"password\":\"dummy-password-1\"}")));
        t.add(new Probe("GET /api/admin/audit", Need.SITE_ADMIN, Scope.ONCE, c -> Req.of("GET", "/api/admin/audit")));
        // signing in: open to everyone (with valid local credentials here, so no failure is counted)
        t.add(new Probe("GET /api/auth/session", Need.ANYONE, Scope.ONCE, c -> Req.of("GET", "/api/auth/session")));
        t.add(new Probe("POST /api/auth/login", Need.ANYONE, Scope.ONCE, c -> Req.of("POST", "/api/auth/login")
                .body("{\"username\":\"dummy\",\"password\":\"dummy-password-1\"}")));
        t.add(new Probe("POST /api/auth/token", Need.ANYONE, Scope.ONCE, c -> Req.of("POST", "/api/auth/token")
                .body("{\"username\":\"dummy\",\"password\":\"dummy-password-1\",\"name\":\"cli\"}")));
        t.add(new Probe("GET /login", Need.ANYONE, Scope.ONCE, c -> Req.of("GET", "/login")));
        t.add(new Probe("POST /login", Need.ANYONE, Scope.ONCE, c -> Req.of("POST", "/login")
                .type("application/x-www-form-urlencoded").body("username=dummy&password=dummy-password-1")));
        t.add(new Probe("GET /oauth/callback", Need.ANYONE, Scope.ONCE, c -> Req.of("GET", "/oauth/callback")));
        t.add(new Probe("POST /logout", Need.ANYONE, Scope.ONCE, c -> Req.of("POST", "/logout")));
        // webhooks belong to the user who made them
        String hooks = "/api/settings/webhooks";
        String hookBody = "{\"url\":\"http://127.0.0.1:9/hook\",\"watched\":[{\"type\":\"model\",\"name\":\"acme/pub\"}]}";
        t.add(new Probe("GET " + hooks, Need.SIGNED_IN, Scope.ONCE, c -> Req.of("GET", hooks)));
        t.add(new Probe("POST " + hooks, Need.SIGNED_IN, Scope.ONCE, c -> Req.of("POST", hooks).body(hookBody)));
        t.add(new Probe("GET " + hooks + "/{id}", Need.OWN, Scope.ONCE, c -> Req.of("GET", hooks + "/" + hook)));
        t.add(new Probe("POST " + hooks + "/{id}", Need.OWN, Scope.ONCE,
                c -> Req.of("POST", hooks + "/" + hook).body(hookBody)));
        t.add(new Probe("POST " + hooks + "/{id}/enable", Need.OWN, Scope.ONCE,
                c -> Req.of("POST", hooks + "/" + hook + "/enable").body("{}")));
        t.add(new Probe("POST " + hooks + "/{id}/disable", Need.OWN, Scope.ONCE,
                c -> Req.of("POST", hooks + "/" + hook + "/disable").body("{}")));
        t.add(new Probe("GET " + hooks + "/{id}/deliveries", Need.OWN, Scope.ONCE,
                c -> Req.of("GET", hooks + "/" + hook + "/deliveries")));
        t.add(new Probe("POST " + hooks + "/{id}/deliveries/{delivery}/replay", Need.OWN, Scope.ONCE,
                c -> Req.of("POST", hooks + "/" + hook + "/deliveries/1/replay").body("{}")));
        t.add(new Probe("DELETE " + hooks + "/{id}", Need.OWN, Scope.ONCE, c -> {
            hook = json(ok(api.send("POST", hooks, TOKENS.get(Who.REPO_OWNER), hookBody))).path("webhook").path("id")
                    .asText();
            return Req.of("DELETE", hooks + "/" + hook);
        }));
        t.add(new Probe("GET /api/quiver/routes", Need.ANYONE, Scope.ONCE, c -> Req.of("GET", "/api/quiver/routes")));
        return t;
    }

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
        api = new AuthClient(hub);
        TOKENS.put(Who.SITE_ADMIN, TestHub.ADMIN_TOKEN);
        TOKENS.put(Who.OUTSIDER, api.user("outsider", "write"));
        TOKENS.put(Who.ORG_READER, api.user("reader", "write"));
        TOKENS.put(Who.ORG_WRITER, api.user("writer", "write"));
        TOKENS.put(Who.ORG_ADMIN, api.user("orgadmin", "write"));
        TOKENS.put(Who.REPO_OWNER, api.user("owner", "write"));
        api.user("dummy", "read");
        api.org("acme", TOKENS.get(Who.ORG_ADMIN));
        api.member("acme", "reader", "read", TOKENS.get(Who.ORG_ADMIN));
        api.member("acme", "writer", "write", TOKENS.get(Who.ORG_ADMIN));
        for (RepoType type : HostedTypes.ALL) {
            for (String owner : List.of("acme", "owner")) {
                for (boolean priv : List.of(false, true)) {
                    Repo repo = new Repo(new RepoId(type, owner, priv ? "priv" : "pub"), priv);
                    api.repo(type.singular(), repo.id().id(), priv, TestHub.ADMIN_TOKEN);
                    REPOS.add(repo);
                }
            }
        }
        try (Database db = Database.open(hub.dataDir().resolve("quiver.db"))) {
            JobStore jobs = new JobStore(db);
            for (Repo r : REPOS) {
                if (r.id().type() == RepoType.MODEL) {
                    JobSpec spec = new JobSpec(r.id().id(), "0".repeat(40), "", "", "", "", "", "", "matrix");
                    JOBS.put(r.id(), enqueue(jobs, r.id(), spec));
                }
            }
        }
        hook = json(ok(api.send("POST", "/api/settings/webhooks", TOKENS.get(Who.REPO_OWNER),
                "{\"url\":\"http://127.0.0.1:9/hook\",\"watched\":[{\"type\":\"user\",\"name\":\"owner\"}]}")))
                .path("webhook").path("id").asText();
        awaitIndexed();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void theTableNamesEveryRouteTheHubServes() {
        Set<String> served = new TreeSet<>();
        for (JsonNode r : json(ok(api.get("/api/quiver/routes", (String) null)))) {
            // repository routes are served once per type; the table names each once, as {type}
            served.add(r.path("method").asText() + " " + r.path("path").asText().replaceFirst("^/datasets/", "/")
                    .replaceFirst("^/api/(models|datasets)/\\{ns}", "/api/{type}/{ns}"));
        }
        Set<String> tabled = new TreeSet<>();
        table().forEach(p -> tabled.add(p.route()));
        assertThat(tabled).as("routes in the table but not served").isSubsetOf(served);
        assertThat(served).as("routes served but missing from the permission table: add them").isSubsetOf(tabled);
    }

    @Test
    @Order(1)
    void searchTotalsAndFacetCountsCountOnlyWhatTheCallerMayRead() {
        for (Who who : Who.values()) {
            for (String owner : List.of("acme", "owner")) {
                long readable = REPOS.stream().filter(r -> r.id().owner().equals(owner))
                        .filter(r -> readable(new Cell(who, Optional.of(r), owner))).count();
                JsonNode page = json(send(Req.of("GET", "/api/quiver/search?author=" + owner), who).body());
                assertThat(page.path("total").asLong()).as(who + " total for " + owner).isEqualTo(readable);
                long faceted = 0;
                for (JsonNode f : json(send(Req.of("GET", "/api/quiver/search"), who).body()).path("facets").path("author")) {
                    if (f.path("value").asText().equals(owner)) {
                        faceted = f.path("count").asLong();
                    }
                }
                assertThat(faceted).as(who + " author facet for " + owner).isEqualTo(readable);
            }
        }
    }

    @Test
    @Order(2)
    void everyCallerGetsExactlyWhatTheTableAllowsOnEveryRoute() {
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (Probe probe : table()) {
            for (Cell cell : cells(probe)) {
                Req req = probe.build().at(cell);
                Answer answer = send(req, cell.who());
                Outcome expected = expected(probe.need(), cell);
                Outcome actual = answer.outcome(probe.need());
                boolean listingRight = probe.need() != Need.LISTED
                        || answer.body().contains(req.marker()) == readable(cell);
                cells++;
                if (actual != expected || !listingRight) {
                    wrong.add(probe.route() + " " + req.method() + " " + req.path() + " as " + cell.who() + ": expected "
                            + expected + (probe.need() == Need.LISTED ? " (listed: " + readable(cell) + ")" : "")
                            + ", got " + answer.status() + " " + answer.code() + " " + abbreviate(answer.body()));
                }
            }
        }
        assertThat(wrong).as("cells checked: " + cells).isEmpty();
        assertThat(cells).isGreaterThan(1000);
    }

    static List<Cell> cells(Probe probe) {
        List<Cell> out = new ArrayList<>();
        for (Who who : Who.values()) {
            switch (probe.scope()) {
                case ONCE -> out.add(new Cell(who, Optional.empty(), "acme"));
                case OWNER -> List.of("acme", "owner", "outsider").forEach(o -> out.add(new Cell(who, Optional.empty(), o)));
                case REPO_MODELS, REPO_DATASETS, REPO_BOTH -> REPOS.stream()
                        .filter(r -> probe.scope() == Scope.REPO_BOTH
                                || r.id().type() == (probe.scope() == Scope.REPO_MODELS ? RepoType.MODEL : RepoType.DATASET))
                        .forEach(r -> out.add(new Cell(who, Optional.of(r), r.id().owner())));
            }
        }
        return out;
    }

    /** The caller's role for an owner, written out independently of the hub's code. */
    static Optional<OrgRole> role(Who who, String owner) {
        return switch (who) {
            case SITE_ADMIN -> Optional.of(OrgRole.ADMIN);
            case REPO_OWNER -> owner.equals("owner") ? Optional.of(OrgRole.ADMIN) : Optional.empty();
            case OUTSIDER -> owner.equals("outsider") ? Optional.of(OrgRole.ADMIN) : Optional.empty();
            case ORG_READER -> owner.equals("acme") ? Optional.of(OrgRole.READ) : Optional.empty();
            case ORG_WRITER -> owner.equals("acme") ? Optional.of(OrgRole.WRITE) : Optional.empty();
            case ORG_ADMIN -> owner.equals("acme") ? Optional.of(OrgRole.ADMIN) : Optional.empty();
            case ANONYMOUS -> Optional.empty();
        };
    }

    static boolean readable(Cell c) {
        return c.repo().map(r -> !r.isPrivate() || role(c.who(), r.id().owner()).isPresent()).orElse(true);
    }

    static Outcome expected(Need need, Cell c) {
        boolean anonymous = c.who() == Who.ANONYMOUS;
        Optional<OrgRole> role = role(c.who(), c.owner());
        return switch (need) {
            case ANYONE, LISTED -> Outcome.OK;
            case SIGNED_IN -> anonymous ? Outcome.UNAUTHORIZED : Outcome.OK;
            case READ -> readable(c) ? Outcome.OK : Outcome.HIDDEN;
            case WRITE, MANAGE, CREATE -> {
                OrgRole needed = need == Need.MANAGE ? OrgRole.ADMIN : OrgRole.WRITE;
                if (!readable(c)) {
                    yield Outcome.HIDDEN;
                }
                if (anonymous) {
                    yield Outcome.UNAUTHORIZED;
                }
                yield role.map(r -> r.atLeast(needed)).orElse(false) ? Outcome.OK : Outcome.FORBIDDEN;
            }
            case ORG_MEMBER -> role.isPresent() ? Outcome.OK : Outcome.HIDDEN;
            case ORG_ADMIN -> role.isEmpty() ? Outcome.HIDDEN
                    : role.get().atLeast(OrgRole.ADMIN) ? Outcome.OK : Outcome.FORBIDDEN;
            case SITE_ADMIN -> anonymous ? Outcome.UNAUTHORIZED
                    : c.who() == Who.SITE_ADMIN ? Outcome.OK : Outcome.FORBIDDEN;
            case SIGNED_URL -> Outcome.FORBIDDEN;
            case OWN -> anonymous ? Outcome.UNAUTHORIZED
                    : c.who() == Who.REPO_OWNER || c.who() == Who.SITE_ADMIN ? Outcome.OK : Outcome.HIDDEN;
        };
    }

    /** What came back. */
    record Answer(int status, String code, String body) {
        Outcome outcome(Need need) {
            if ((status == 401 || status == 403) && need == Need.SIGNED_URL) {
                return Outcome.FORBIDDEN;
            }
            boolean repoNotFound = code.equals("RepoNotFound");
            if (status == 404 && (repoNotFound || need == Need.ORG_MEMBER || need == Need.ORG_ADMIN
                    || body.contains("Job not found") || body.contains("Webhook not found"))) {
                return Outcome.HIDDEN;
            }
            if (status == 401) {
                return repoNotFound || body.contains("Job not found") ? Outcome.HIDDEN : Outcome.UNAUTHORIZED;
            }
            return status == 403 ? Outcome.FORBIDDEN : Outcome.OK;
        }
    }

    static Answer send(Req req, Who who) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + req.path())).timeout(Duration.ofSeconds(30))
                .method(req.method(), req.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(req.body()));
        if (req.body() != null) {
            b.header("Content-Type", req.contentType());
        }
        Optional.ofNullable(TOKENS.get(who)).ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<InputStream> r = hub.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                // event streams stay open while a job runs: the status line is the answer
                body = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream") ? ""
                        : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            return new Answer(r.statusCode(), r.headers().firstValue("X-Error-Code").orElse(""), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The hub writes to the same database meanwhile, so a second connection may have to try again. */
    static String enqueue(JobStore jobs, RepoId repo, JobSpec spec) throws InterruptedException {
        for (int attempt = 0;; attempt++) {
            try {
                return jobs.enqueue(JobKind.TRAIN, repo, "matrix-" + repo, spec, "admin").id();
            } catch (IllegalStateException e) {
                if (attempt > 50 || !String.valueOf(e.getMessage()).contains("SQLITE_BUSY")) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    static Repo scratch(Repo like) {
        Repo repo = new Repo(new RepoId(like.id().type(), like.id().owner(), "scratch-" + SEQ.incrementAndGet()),
                like.isPrivate());
        api.repo(like.id().type().singular(), repo.id().id(), like.isPrivate(), TestHub.ADMIN_TOKEN);
        return repo;
    }

    static String api(Cell c) {
        return c.repo().orElseThrow().api();
    }

    static String web(Cell c) {
        return c.repo().orElseThrow().web();
    }

    static String job(Cell c) {
        return "/api/jobs/" + c.repo().orElseThrow().id().owner() + "/" + JOBS.get(c.repo().get().id());
    }

    static String marker(Cell c) {
        return "\"" + c.repo().orElseThrow().id().id() + "\"";
    }

    static void awaitIndexed() throws InterruptedException {
        Set<String> wanted = new LinkedHashSet<>();
        REPOS.forEach(r -> wanted.add(r.id().type().plural() + ":" + r.id().id()));
        for (int i = 0; i < 200; i++) {
            Set<String> seen = new LinkedHashSet<>();
            for (RepoType type : HostedTypes.ALL) {
                for (JsonNode n : json(ok(api.get("/api/" + type.plural() + "?limit=100", TestHub.ADMIN_TOKEN)))) {
                    seen.add(type.plural() + ":" + n.path("id").asText());
                }
            }
            if (seen.containsAll(wanted)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the search index never showed every repository");
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}

package dev.quiver.server.auth;

import static dev.quiver.server.auth.AuthClient.json;
import static dev.quiver.server.auth.AuthClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.TestHub;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens, organizations, memberships, whoami and the audit log through the real HTTP API. */
class AccountsIT {
    static TestHub hub;
    static AuthClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        api = new AuthClient(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void tokensAreShownOnceListedWithoutSecretsTouchedAndRevoked() {
        String alice = api.user("alice", "write");
        JsonNode made = json(ok(api.send("POST", "/api/settings/tokens", alice, "{\"name\":\"ci\",\"role\":\"read\"}")));
        String secret = made.path("token").asText();
        assertThat(secret).matches("hf_[A-Za-z0-9]{34}");
        assertThat(made.path("role").asText()).isEqualTo("read");

        ok(api.get("/api/whoami-v2", secret));
        HttpResponse<String> list = ok(api.get("/api/settings/tokens", alice));
        assertThat(list.body()).doesNotContain(secret).contains("\"ci\"");
        JsonNode ci = find(json(list), "name", "ci");
        assertThat(ci.path("lastUsedAt").isTextual()).as(list.body()).isTrue();

        ok(api.send("DELETE", "/api/settings/tokens/" + made.path("id").asLong(), alice, null));
        HttpResponse<String> after = api.get("/api/whoami-v2", secret);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("X-Error-Message")).hasValue("Invalid credentials in Authorization header");
        assertThat(api.send("DELETE", "/api/settings/tokens/" + made.path("id").asLong(), alice, null).statusCode())
                .isEqualTo(404);
        assertThat(actions("alice")).contains("token.create", "token.revoke");
    }

    @Test
    void aReadTokenCannotMakeTokensNorRevokeOthersTokens() {
        String bob = api.user("bob", "read");
        assertThat(api.send("POST", "/api/settings/tokens", bob, "{\"name\":\"x\",\"role\":\"write\"}").statusCode())
                .isEqualTo(403);
        String carol = api.user("carol", "write");
        long carolsId = json(ok(api.get("/api/settings/tokens", carol))).get(0).path("id").asLong();
        assertThat(api.send("DELETE", "/api/settings/tokens/" + carolsId, api.token("bob", "write"), null).statusCode())
                .isEqualTo(404);
        ok(api.get("/api/whoami-v2", carol));
    }

    @Test
    void badTokenRequestsListEveryProblem() {
        String dave = api.user("dave", "write");
        HttpResponse<String> r = api.send("POST", "/api/settings/tokens", dave,
                "{\"role\":\"owner\",\"repos\":[\"a/b/c/d\",\"../x\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("errors")).hasSize(4);
    }

    @Test
    void whoamiListsOrganizationsWithRolesInTheHfShape() {
        String erin = api.user("erin", "write");
        String frank = api.user("frank", "write");
        api.org("erinco", erin);
        api.member("erinco", "frank", "write", erin);
        JsonNode who = json(ok(api.get("/api/whoami-v2", frank)));
        assertThat(who.path("name").asText()).isEqualTo("frank");
        assertThat(who.path("orgs")).hasSize(1);
        assertThat(who.path("orgs").get(0).path("type").asText()).isEqualTo("org");
        assertThat(who.path("orgs").get(0).path("name").asText()).isEqualTo("erinco");
        assertThat(who.path("orgs").get(0).path("roleInOrg").asText()).isEqualTo("write");
        assertThat(who.path("auth").path("type").asText()).isEqualTo("access_token");
        assertThat(who.path("auth").path("accessToken").path("role").asText()).isEqualTo("write");
        assertThat(json(ok(api.get("/api/whoami-v2", erin))).path("orgs").get(0).path("roleInOrg").asText())
                .isEqualTo("admin");
    }

    @Test
    void membersAreManagedByOrgAdminsOnlyAndTheLastAdminStays() {
        String gina = api.user("gina", "write");
        String hank = api.user("hank", "write");
        api.org("ginaco", gina);
        api.member("ginaco", "hank", "write", gina);
        assertThat(api.send("PUT", "/api/organizations/ginaco/members/hank", hank, "{\"role\":\"admin\"}").statusCode())
                .isEqualTo(403);
        assertThat(api.send("PUT", "/api/organizations/ginaco/members/gina", gina, "{\"role\":\"read\"}").statusCode())
                .isEqualTo(409);
        assertThat(api.send("DELETE", "/api/organizations/ginaco/members/gina", gina, null).statusCode())
                .isEqualTo(409);
        assertThat(api.send("PUT", "/api/organizations/ginaco/members/hank", gina, "{\"role\":\"owner\"}").statusCode())
                .isEqualTo(400);
        String outsider = api.user("ivan", "write");
        assertThat(api.get("/api/organizations/ginaco/members", outsider).statusCode()).isEqualTo(404);
        assertThat(json(ok(api.get("/api/organizations/ginaco/members", hank)))).hasSize(2);
        ok(api.send("DELETE", "/api/organizations/ginaco/members/hank", gina, null));
        assertThat(api.get("/api/organizations/ginaco/members", hank).statusCode()).isEqualTo(404);
        assertThat(actions("gina")).contains("org.create", "member.set", "member.remove");
    }

    @Test
    void aTokenLimitedToOneRepositoryUsesNoOther() {
        String judy = api.user("judy", "write");
        api.repo("model", "judy/one", true, judy);
        api.repo("model", "judy/two", true, judy);
        api.repo("model", "judy/open", false, judy);
        String limited = json(ok(api.send("POST", "/api/settings/tokens", judy,
                "{\"name\":\"runner\",\"role\":\"write\",\"repos\":[\"judy/one\"]}"))).path("token").asText();
        ok(api.get("/api/models/judy/one", limited));
        assertThat(api.get("/api/models/judy/two", limited).statusCode()).isEqualTo(404);
        ok(api.get("/api/models/judy/open", limited));
        String commit = "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n"
                + "{\"key\":\"file\",\"value\":{\"path\":\"a.txt\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}\n";
        assertThat(api.send("POST", "/api/models/judy/one/commit/main", limited, commit).statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/models/judy/open/commit/main", limited, commit).statusCode()).isEqualTo(403);
        assertThat(api.send("POST", "/api/repos/create", limited, "{\"name\":\"three\"}").statusCode()).isEqualTo(403);
        assertThat(api.send("POST", "/api/settings/tokens", limited, "{\"name\":\"y\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void visibilityChangesAndDeletionsAreAudited() {
        String kate = api.user("kate", "write");
        api.repo("model", "kate/m", false, kate);
        ok(api.send("PUT", "/api/models/kate/m/settings", kate, "{\"private\":true}"));
        ok(api.send("DELETE", "/api/repos/delete", kate, "{\"name\":\"kate/m\",\"type\":\"model\"}"));
        List<JsonNode> events = audit("?actor=kate");
        assertThat(events).extracting(e -> e.path("action").asText()).contains("repo.visibility", "repo.delete");
        assertThat(events.stream().filter(e -> e.path("action").asText().equals("repo.visibility")).findFirst()
                .orElseThrow().path("detail").asText()).isEqualTo("private");
        assertThat(api.get("/api/admin/audit", kate).statusCode()).isEqualTo(403);
        assertThat(api.get("/api/admin/audit", (String) null).statusCode()).isEqualTo(401);
    }

    @Test
    void auditLogPagesNewestFirst() {
        List<JsonNode> all = audit("?limit=1000");
        List<JsonNode> page = audit("?limit=2&before=" + all.get(0).path("id").asLong());
        assertThat(page).hasSize(Math.min(2, all.size() - 1));
        assertThat(page.get(0).path("id").asLong()).isLessThan(all.get(0).path("id").asLong());
        assertThat(api.get("/api/admin/audit?limit=x", TestHub.ADMIN_TOKEN).statusCode()).isEqualTo(400);
    }

    private static List<String> actions(String actor) {
        return audit("?actor=" + actor).stream().map(e -> e.path("action").asText()).toList();
    }

    private static List<JsonNode> audit(String query) {
        JsonNode list = json(ok(api.get("/api/admin/audit" + query, TestHub.ADMIN_TOKEN)));
        return new ArrayList<>(StreamSupport.stream(list.spliterator(), false).toList());
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode n : list) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError(value + " not in " + list);
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Subject;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubHttpTest {
    static final RepoRef REPO = RepoRef.model("acme/lora");
    final HubHttp withToken = new HubHttp(URI.create("http://hub"), Optional.of("hf_x"), Retry.NONE, TlsTrust.JDK);
    final HubHttp anonymous = new HubHttp(URI.create("http://hub"), Optional.empty(), Retry.NONE, TlsTrust.JDK);

    static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    private static HubException fail(HubHttp http, int status, String code, String body, Subject subject) {
        Map<String, List<String>> h = code.isEmpty() ? Map.of() : Map.of("X-Error-Code", List.of(code));
        return http.failure(status, headers(h), body.getBytes(StandardCharsets.UTF_8), subject);
    }

    @Test
    void hubErrorCodesBecomeMessagesThatNameTheThing() {
        HubException repo = fail(withToken, 404, "RepoNotFound", "{\"error\":\"x\"}", Subject.of(REPO));
        assertThat(repo.problem()).isEqualTo(Problem.NOT_FOUND);
        assertThat(repo.getMessage()).isEqualTo("repo acme/lora not found or private");
        assertThat(fail(anonymous, 401, "RepoNotFound", "", Subject.of(REPO)).getMessage())
                .contains("not found or private", "quiver login");
        HubException rev = fail(withToken, 404, "RevisionNotFound", "", Subject.of(REPO, "dev"));
        assertThat(rev.getMessage()).isEqualTo("revision dev not found in acme/lora");
        HubException entry = fail(withToken, 404, "EntryNotFound", "", Subject.of(REPO, "main", "a.bin"));
        assertThat(entry.getMessage()).isEqualTo("'a.bin' not found in acme/lora at main");
        assertThat(entry.errorCode()).contains("EntryNotFound");
    }

    @Test
    void statusesMapToProblemsAndTheServerMessageIsKept() {
        assertThat(fail(anonymous, 401, "", "", Subject.NONE).getMessage()).startsWith("not logged in: run `quiver login`");
        assertThat(fail(withToken, 401, "", "{\"error\":\"Invalid credentials\"}", Subject.NONE).getMessage())
                .contains("refused the token", "Invalid credentials");
        assertThat(fail(withToken, 403, "", "{\"error\":\"no write access\"}", Subject.NONE).problem()).isEqualTo(Problem.FORBIDDEN);
        assertThat(fail(withToken, 409, "", "{\"message\":\"exists\"}", Subject.NONE).getMessage()).isEqualTo("conflict: exists");
        assertThat(fail(withToken, 412, "", "", Subject.NONE).problem()).isEqualTo(Problem.CONFLICT);
        assertThat(fail(withToken, 400, "", "{\"error\":\"bad path\"}", Subject.NONE).getMessage()).contains("bad path");
        assertThat(fail(withToken, 503, "", "", Subject.NONE).problem()).isEqualTo(Problem.UNAVAILABLE);
        assertThat(fail(withToken, 418, "", "plain text reason", Subject.NONE).getMessage()).contains("plain text reason");
        HubException header = withToken.failure(403, headers(Map.of("X-Error-Message", List.of("from header"))),
                "{\"error\":\"from body\"}".getBytes(StandardCharsets.UTF_8), Subject.NONE);
        assertThat(header.getMessage()).contains("from header");
    }

    @Test
    void nextPageLinksAreFoundInEitherSpacing() {
        assertThat(HubHttp.nextLink(headers(Map.of("Link", List.of("<http://hub/api/models?cursor=abc>; rel=\"next\"")))))
                .contains("http://hub/api/models?cursor=abc");
        assertThat(HubHttp.nextLink(headers(Map.of("Link", List.of("<http://h/x>;rel=next"))))).contains("http://h/x");
        assertThat(HubHttp.nextLink(headers(Map.of("Link", List.of("<http://h/x>; rel=\"prev\""))))).isEmpty();
        assertThat(HubHttp.nextLink(headers(Map.of()))).isEmpty();
    }

    @Test
    void backoffGrowsIsCappedAndHonoursRetryAfter() {
        Retry r = new Retry(5, java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(1000));
        assertThat(r.delay(1, Optional.empty()).toMillis()).isBetween(50L, 100L);
        assertThat(r.delay(3, Optional.empty()).toMillis()).isBetween(200L, 400L);
        assertThat(r.delay(10, Optional.empty()).toMillis()).isBetween(500L, 1000L);
        assertThat(r.delay(1, Optional.of(java.time.Duration.ofSeconds(3))).toSeconds()).isEqualTo(3);
        assertThat(r.delay(1, Optional.of(java.time.Duration.ofHours(1))).toSeconds()).isEqualTo(30);
        assertThat(Retry.isTransient(429)).isTrue();
        assertThat(Retry.isTransient(404)).isFalse();
    }
}

package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.server.QuiverException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile input to the sign-in pages: where to go next, and form bodies. */
class SignInInputTest {
    @Test
    void onlyLocalPathsAreFollowedAfterSignIn() {
        assertThat(SignInEndpoints.localPath("/acme/lora?tab=files")).isEqualTo("/acme/lora?tab=files");
        for (String evil : List.of("https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil", "evil",
                "", "/\r\nSet-Cookie: x=y", "/ok\u0000", "javascript:alert(1)", "/" + "a".repeat(3000))) {
            assertThat(SignInEndpoints.localPath(evil)).as(evil).isEqualTo("/");
        }
    }

    @Test
    void formBodiesDecodeAndKeepTheFirstValue() {
        assertThat(SignInEndpoints.form("username=a%20b&password=p%26q&username=second&=x&novalue&next=%2Fz"
                .getBytes(StandardCharsets.UTF_8))).containsEntry("username", "a b").containsEntry("password", "p&q")
                .containsEntry("next", "/z").doesNotContainKey("novalue").hasSize(3);
        assertThatThrownBy(() -> SignInEndpoints.form("username=%zz".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(QuiverException.class);
    }

    @Test
    void tokenRequestsNameEveryProblem() {
        var node = dev.quiver.schema.json.Json.mapper().createObjectNode();
        node.put("role", "root");
        node.putArray("repos").add("a/b/c/d").add("not a repo").add("datasets/x/y").add("spaces/x/y");
        assertThatThrownBy(() -> TokenEndpoints.Request.parse(node)).isInstanceOfSatisfying(QuiverException.class,
                e -> assertThat(e.problems()).hasSize(5));
        var ok = dev.quiver.schema.json.Json.mapper().createObjectNode().put("name", "ci").put("role", "write");
        ok.putArray("repos").add("acme/lora").add("datasets/acme/data");
        assertThat(TokenEndpoints.Request.parse(ok).repos()).hasSize(2);
    }
}

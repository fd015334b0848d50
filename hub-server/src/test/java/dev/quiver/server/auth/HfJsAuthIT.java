package dev.quiver.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.NodeScript;
import dev.quiver.server.TestHub;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The official {@code @huggingface/hub} client with Quiver tokens of a member and of an outsider. */
class HfJsAuthIT {
    @Test
    void officialJsClientWorksWithAMemberTokenAndHidesPrivateReposFromOutsiders() throws Exception {
        try (TestHub hub = TestHub.start()) {
            AuthClient api = new AuthClient(hub);
            String member = api.user("mia", "write");
            String outsider = api.user("otto", "write");
            api.org("labs", member);
            api.repo("model", "labs/secret-lora", true, member);
            NodeScript.Run run = NodeScript.run(hub.url(), member, "hf-auth.mjs", Map.of("MEMBER_TOKEN", member,
                    "OUTSIDER_TOKEN", outsider, "ORG", "labs", "REPO", "labs/secret-lora"));
            assertThat(run.output()).contains("all steps passed");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }
}

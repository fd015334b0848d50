package dev.quiver.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
            Path log = Files.createTempFile("node-", ".log");
            ProcessBuilder pb = new ProcessBuilder("node", "hf-auth.mjs").directory(Path.of("src/test/js").toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HUB_URL", hub.url());
            pb.environment().put("MEMBER_TOKEN", member);
            pb.environment().put("OUTSIDER_TOKEN", outsider);
            pb.environment().put("ORG", "labs");
            pb.environment().put("REPO", "labs/secret-lora");
            Process p = pb.start();
            boolean done = p.waitFor(3, TimeUnit.MINUTES);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(output).contains("all steps passed");
            assertThat(p.exitValue()).as(output).isZero();
        }
    }
}

package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.server.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures say what to do next and exit with a status a script can tell apart. */
class ErrorsIT {
    static TestHub hub;
    @TempDir
    static Path dir;
    static Cli cli;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHub.start();
        cli = Cli.against(hub.url(), hub.token(), dir);
        assertThat(cli.run("repo", "create", "admin/exists").exit()).isZero();
        Files.writeString(dir.resolve("a.txt"), "a");
        assertThat(cli.run("upload", "admin/exists", dir.resolve("a.txt").toString()).exit()).isZero();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aMissingRepoIsNotFound() {
        Cli.Result r = cli.run("download", "admin/nope");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("repo admin/nope not found or private");
        assertThat(cli.run("ls", "admin/nope").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("info", "admin/nope", "--repo-type", "dataset").err()).contains("datasets/admin/nope");
    }

    @Test
    void aMissingRepoWithoutATokenSuggestsLoggingIn() {
        Cli.Result r = cli.without("QUIVER_TOKEN").run("ls", "admin/nope");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("not found or private", "quiver login");
    }

    @Test
    void aMissingFileOrRevisionIsNotFound() {
        Cli.Result file = cli.run("download", "admin/exists", "missing.txt");
        assertThat(file.exit()).as(file.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(file.err()).contains("'missing.txt' not found in admin/exists");
        Cli.Result rev = cli.run("log", "admin/exists", "--revision", "no-such-branch");
        assertThat(rev.exit()).as(rev.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(rev.err()).contains("revision no-such-branch not found in admin/exists");
    }

    @Test
    void noTokenOrABadTokenIsUnauthorized() {
        Cli.Result none = cli.without("QUIVER_TOKEN").run("repo", "create", "admin/x");
        assertThat(none.exit()).as(none.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(none.err()).contains("not logged in: run `quiver login`");
        Cli.Result who = cli.without("QUIVER_TOKEN").run("whoami");
        assertThat(who.exit()).isEqualTo(ExitCodes.UNAUTHORIZED);
        Cli.Result bad = cli.with("QUIVER_TOKEN", "hf_notARealToken000000000000").run("whoami");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(bad.err()).contains("the hub refused the token", "quiver login");
    }

    @Test
    void somethingThatExistsAlreadyIsAConflict() {
        Cli.Result repo = cli.run("repo", "create", "admin/exists");
        assertThat(repo.exit()).as(repo.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(repo.err()).contains("repo admin/exists already exists");
        assertThat(cli.run("repo", "create", "admin/exists", "--exist-ok").exit()).isZero();
        assertThat(cli.run("tag", "create", "admin/exists", "v1").exit()).isZero();
        Cli.Result tag = cli.run("tag", "create", "admin/exists", "v1");
        assertThat(tag.exit()).as(tag.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(cli.run("branch", "create", "admin/exists", "dev").exit()).isZero();
        assertThat(cli.run("branch", "create", "admin/exists", "dev").exit()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void badInputIsRefusedBeforeAnyRequest() {
        Cli.Result id = cli.run("ls", "not/a/repo");
        assertThat(id.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(id.err()).contains("more than one '/'");
        assertThat(cli.run("ls", "a--b/x").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.run("ls", "admin/exists", "--repo-type", "widget").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.run("download", "admin/exists", "--no-such-option").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli.run("download", "admin/exists", "../etc/passwd").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        Cli.Result noEndpoint = cli.without("QUIVER_ENDPOINT").run("ls", "admin/exists");
        assertThat(noEndpoint.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noEndpoint.err()).contains("quiver login --endpoint URL");
    }

    @Test
    void anUnreachableHubIsAFailureThatNamesTheEndpoint() {
        Cli.Result r = cli.with("QUIVER_ENDPOINT", "http://127.0.0.1:9").run("ls", "admin/exists");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("cannot reach 127.0.0.1:9");
    }

    @Test
    void deletingNeedsConfirmationOutsideATerminal() {
        Cli.Result r = cli.run("repo", "delete", "admin/exists");
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("without --yes");
        assertThat(cli.run("ls", "admin/exists").exit()).isZero();
    }
}

package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.client.HubException;
import dev.quiver.client.TransferListener;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path dir;

    private Cli cli() {
        return new Cli(Map.of(), dir, "");
    }

    @Test
    void everyCommandHasHelpWithExamplesAndExitCodes() {
        CommandLine root = Main.commandLine(new CliEnvironment(Map.of(), dir, System.in, false));
        assertThat(root.getSubcommands().keySet()).contains("login", "logout", "whoami", "repo", "upload", "download",
                "ls", "log", "branch", "tag", "info", "search", "completion");
        checkHelp(root);
    }

    @Test
    void onlyTheSubcommandTheArgumentsNameIsBuiltUnlessAllAreNeeded() {
        CliEnvironment env = new CliEnvironment(Map.of(), dir, System.in, false);
        assertThat(Main.commandLine(env, new String[] {"--endpoint", "http://h", "whoami", "--json"})
                .getSubcommands().keySet()).containsExactly("whoami");
        assertThat(Main.commandLine(env, new String[] {"--token=t", "repo", "list"}).getSubcommands().keySet())
                .containsExactly("repo");
        assertThat(Main.commandLine(env, new String[] {"--version"}).getSubcommands()).isEmpty();
        for (String[] args : new String[][] {{}, {"--help"}, {"frobnicate"}, {"completion", "bash"}, {"--endpoint"}}) {
            assertThat(Main.commandLine(env, args).getSubcommands()).as(String.join(" ", args)).hasSize(14);
        }
    }

    private void checkHelp(CommandLine command) {
        String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).as(command.getCommandName()).contains("Examples:", "  quiver", "Exit codes:", "--help");
        command.getSubcommands().values().stream().filter(c -> c != command && !c.getCommandName().equals("help"))
                .forEach(this::checkHelp);
    }

    @Test
    void helpAndVersionExitZeroAndUsageErrorsExitTwo() {
        assertThat(cli().run("--help").exit()).isZero();
        assertThat(cli().run("--version").out()).contains("quiver 0.1.0");
        Cli.Result unknown = cli().run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli().run("upload").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli().run("download", "a/b", "--workers", "0").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli().run("log", "a/b", "-n", "x").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli().run("download", "a/b", "file.txt", "--include", "*.json").err()).contains("not both");
        assertThat(cli().run("repo", "settings", "a/b", "--private", "--public").exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cli().run("repo", "settings", "a/b", "--gated", "sometimes").err()).contains("auto, manual or false");
        assertThat(cli().run("search", "--sort", "random").err()).contains("lastModified");
    }

    @Test
    void eachProblemHasItsOwnExitCode() {
        assertThat(ExitCodes.of(HubException.Problem.NOT_FOUND)).isEqualTo(3);
        assertThat(ExitCodes.of(HubException.Problem.UNAUTHORIZED)).isEqualTo(4);
        assertThat(ExitCodes.of(HubException.Problem.FORBIDDEN)).isEqualTo(4);
        assertThat(ExitCodes.of(HubException.Problem.CONFLICT)).isEqualTo(5);
        assertThat(ExitCodes.of(HubException.Problem.BAD_INPUT)).isEqualTo(2);
        assertThat(ExitCodes.of(HubException.Problem.INTEGRITY)).isEqualTo(1);
    }

    @Test
    void completionScriptsCoverCommandsAndOptionsForBashAndZsh() {
        Cli.Result bash = cli().run("completion", "bash");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("complete -F", "download", "upload", "--repo-type", "--local-dir", "branch");
        Cli.Result zsh = cli().run("completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).contains("ZSH_VERSION", "bashcompinit");
        assertThat(cli().run("completion", "fish").exit()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void offlineIsWhatHuggingfaceHubReadsAsTrue() {
        for (String yes : new String[] {"1", "ON", "yes", "True", " 1 "}) {
            assertThat(DownloadCommand.offline(Map.of("HF_HUB_OFFLINE", yes))).as(yes).isTrue();
        }
        for (String no : new String[] {"0", "false", "off", "", "2"}) {
            assertThat(DownloadCommand.offline(Map.of("HF_HUB_OFFLINE", no))).as(no).isFalse();
        }
        assertThat(DownloadCommand.offline(Map.of())).isFalse();
        assertThat(DownloadCommand.offline(Map.of("TRANSFORMERS_OFFLINE", "1"))).isTrue();
        assertThat(DownloadCommand.offline(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1"))).isFalse();
    }

    @Test
    void aTransferWithoutATerminalDrawsNoProgressButSaysWhenItWaitsForAnotherDownload() {
        TransferOptions options = new TransferOptions();
        StringWriter err = new StringWriter();
        CliEnvironment pipe = new CliEnvironment(Map.of(), Path.of("/nonexistent"), InputStream.nullInputStream(), false);
        TransferListener listener = options.progress(pipe, new PrintWriter(err), "download");
        assertThat(listener).isNotInstanceOf(ProgressDisplay.class);
        listener.planned(1, 100);
        listener.progressed("big.bin", 100);
        assertThat(err.toString()).isEmpty();
        listener.waiting("big.bin");
        assertThat(err.toString()).isEqualTo("quiver: another download of big.bin into the same place is in progress; "
                + "waiting for it to finish" + System.lineSeparator());

        options.quiet = true;
        assertThat(options.progress(pipe, new PrintWriter(err), "download")).isSameAs(TransferListener.NONE);
    }
}

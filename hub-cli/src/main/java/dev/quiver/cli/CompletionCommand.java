package dev.quiver.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quiver completion bash|zsh}: prints a completion script generated from the command tree. */
@Command(name = "completion", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Print a shell completion script for bash or zsh.",
        footerHeading = "%nExamples:%n", footer = {
            "  source <(quiver completion bash)                  (bash: current shell)",
            "  quiver completion bash > ~/.local/share/bash-completion/completions/quiver",
            "  quiver completion zsh > \"${fpath[1]}/_quiver\"       (zsh; or source it from .zshrc)",
            "", ExitCodes.HELP})
final class CompletionCommand extends QuiverCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new IllegalArgumentException("completion is generated for bash and zsh, not '" + shell + "'");
        }
        // picocli's script serves both: under zsh it loads bashcompinit itself
        String script = AutoComplete.bash("quiver", spec.root().commandLine());
        out().print(script);
        out().flush();
        return ExitCodes.OK;
    }
}

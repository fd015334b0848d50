package dev.quiver.cli;

import dev.quiver.client.SavedLogin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code quiver logout}: forgets the saved login. */
@Command(name = "logout", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Remove the saved login (endpoint and token).",
        footerHeading = "%nExamples:%n", footer = {"  quiver logout", "", ExitCodes.HELP})
final class LogoutCommand extends QuiverCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Main main = main();
        Path file = main.environment().settings().loginFile();
        boolean removed = SavedLogin.delete(file);
        out().println(removed ? "Logged out (removed " + file + ")" : "Not logged in (no " + file + ")");
        if (main.environment().variables().containsKey("QUIVER_TOKEN") || main.environment().variables().containsKey("HF_TOKEN")) {
            err().println("note: QUIVER_TOKEN or HF_TOKEN is still set in this environment");
        }
        return ExitCodes.OK;
    }
}

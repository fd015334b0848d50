package dev.quiver.cli;

import dev.quiver.client.CommitEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code quiver log}: the commits of a revision, newest first. */
@Command(name = "log", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Show the commits of a revision, newest first.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver log acme/my-lora",
            "  quiver log acme/my-lora --revision dev -n 5 --json",
            "", ExitCodes.HELP})
final class LogCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoAtRevision target;
    @Mixin
    JsonOption output;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        List<CommitEntry> commits = client().listCommits(target.ref(), target.revision, limit);
        PrintWriter out = out();
        if (output.json) {
            Output.json(out, commits);
            return ExitCodes.OK;
        }
        Table t = new Table("COMMIT", "DATE", "AUTHOR", "TITLE");
        for (CommitEntry c : commits) {
            t.row(Output.shortId(c.id()), Output.date(c.date()), String.join(", ", c.authors()), c.title());
        }
        t.print(out);
        return ExitCodes.OK;
    }
}

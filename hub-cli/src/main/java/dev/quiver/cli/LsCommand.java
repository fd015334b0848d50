package dev.quiver.cli;

import dev.quiver.client.TreeEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver ls}: the files of a revision, with sizes and LFS marks. */
@Command(name = "ls", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "List files and folders at a revision, with sizes; LFS marks files stored in LFS.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver ls acme/my-lora",
            "  quiver ls acme/support-qa data --repo-type dataset -R",
            "  quiver ls acme/my-lora --revision v1 --json",
            "", ExitCodes.HELP})
final class LsCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoAtRevision target;
    @Mixin
    JsonOption output;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A folder in the repo (default: the root).")
    String path = "";

    @Option(names = {"-R", "--recursive"}, description = "Everything below, not just one level.")
    boolean recursive;

    @Override
    public Integer call() {
        String folder = path.replaceAll("^/+|/+$", "");
        List<TreeEntry> entries = client().listTree(target.ref(), target.revision, folder, recursive, false);
        PrintWriter out = out();
        if (output.json) {
            Output.json(out, entries);
            return ExitCodes.OK;
        }
        Table t = new Table("SIZE", "LFS", "PATH").alignRight(0);
        long total = 0;
        int files = 0;
        for (TreeEntry e : entries) {
            if (e.isFile()) {
                files++;
                total += e.size();
                t.row(Output.size(e.size()), e.lfs().isPresent() ? "LFS" : "", e.path());
            } else {
                t.row("-", "", e.path() + "/");
            }
        }
        t.print(out);
        out.println(files + (files == 1 ? " file, " : " files, ") + Output.size(total));
        out.flush();
        return ExitCodes.OK;
    }
}

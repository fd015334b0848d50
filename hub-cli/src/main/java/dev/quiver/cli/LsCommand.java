package dev.quiver.cli;

import dev.quiver.client.TreeEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quiver ls}: the files of a revision, with sizes and LFS marks. */
@Command(name = "ls", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "List files and folders at a revision, with sizes; LFS marks files stored in LFS.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver ls acme/my-lora",
            "  quiver ls acme/support-qa data --repo-type dataset -R",
            "  quiver ls acme/my-lora --revision v1 --json",
            "", ExitCodes.HELP})
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RepoOptions type;
    @Mixin
    JsonOption output;

    @Parameters(index = "0", paramLabel = "REPO", description = "namespace/name")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A folder in the repo (default: the root).")
    String path = "";

    @Option(names = "--revision", defaultValue = "main", paramLabel = "REV", description = "Branch, tag, commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = {"-R", "--recursive"}, description = "Everything below, not just one level.")
    boolean recursive;

    @Override
    public Integer call() {
        String folder = path.replaceAll("^/+|/+$", "");
        List<TreeEntry> entries = Main.of(spec).client().listTree(type.repo(id), revision, folder, recursive, false);
        PrintWriter out = spec.commandLine().getOut();
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

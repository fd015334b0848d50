package dev.quiver.cli;

import dev.quiver.client.Refs;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver branch list|create|delete}. */
@Command(name = "branch", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "List, create and delete branches.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver branch list acme/my-lora",
            "  quiver branch create acme/my-lora dev",
            "  quiver branch create acme/my-lora hotfix --from v1",
            "  quiver branch delete acme/my-lora dev",
            "", ExitCodes.HELP})
final class BranchCommand extends CommandGroup {
    @Command(name = "list", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "List branches and the commit each points at.",
            footerHeading = "%nExamples:%n", footer = {"  quiver branch list acme/my-lora --json", "", ExitCodes.HELP})
    int list(@Parameters(paramLabel = "REPO") String id, @Mixin RepoOptions type, @Mixin JsonOption output) {
        Refs refs = client().listRefs(type.repo(id));
        printRefs(out(), refs.branches(), output.json);
        return ExitCodes.OK;
    }

    @Command(name = "create", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Create a branch (from main's head unless --from says otherwise).",
            footerHeading = "%nExamples:%n", footer = {"  quiver branch create acme/my-lora dev", "  quiver branch create acme/my-lora hotfix --from v1", "",
                ExitCodes.HELP})
    int create(@Parameters(paramLabel = "REPO") String id, @Parameters(paramLabel = "BRANCH") String branch,
            @Mixin RepoOptions type,
            @Option(names = "--from", paramLabel = "REV", description = "Start at this branch, tag or commit.") Optional<String> from) {
        client().createBranch(type.repo(id), branch, from);
        out().println("Created branch " + branch + from.map(f -> " at " + f).orElse(""));
        return ExitCodes.OK;
    }

    @Command(name = "delete", usageHelpAutoWidth = true, mixinStandardHelpOptions = true, description = "Delete a branch.",
            footerHeading = "%nExamples:%n", footer = {"  quiver branch delete acme/my-lora dev", "", ExitCodes.HELP})
    int delete(@Parameters(paramLabel = "REPO") String id, @Parameters(paramLabel = "BRANCH") String branch,
            @Mixin RepoOptions type) {
        client().deleteBranch(type.repo(id), branch);
        out().println("Deleted branch " + branch);
        return ExitCodes.OK;
    }

    static void printRefs(PrintWriter out, java.util.List<Refs.Ref> refs, boolean json) {
        if (json) {
            Output.json(out, refs);
            return;
        }
        Table t = new Table("NAME", "COMMIT");
        refs.forEach(r -> t.row(r.name(), Output.shortId(r.targetCommit())));
        t.print(out);
    }
}

package dev.quiver.cli;

import dev.quiver.client.Refs;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver tag list|create|delete}. */
@Command(name = "tag", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "List, create and delete tags.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver tag list acme/my-lora",
            "  quiver tag create acme/my-lora v1 -m \"First release\"",
            "  quiver tag create acme/my-lora v1.1 --revision dev",
            "  quiver tag delete acme/my-lora v1",
            "", ExitCodes.HELP})
final class TagCommand extends CommandGroup {
    @Command(name = "list", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "List tags and the commit each points at.",
            footerHeading = "%nExamples:%n", footer = {"  quiver tag list acme/my-lora", "", ExitCodes.HELP})
    int list(@Parameters(paramLabel = "REPO") String id, @Mixin RepoOptions type, @Mixin JsonOption output) {
        Refs refs = client().listRefs(type.repo(id));
        BranchCommand.printRefs(out(), refs.tags(), output.json);
        return ExitCodes.OK;
    }

    @Command(name = "create", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Tag a revision (main's head by default).",
            footerHeading = "%nExamples:%n", footer = {"  quiver tag create acme/my-lora v1 -m \"First release\"", "  quiver tag create acme/my-lora v1.1 --revision dev",
                "", ExitCodes.HELP})
    int create(@Parameters(paramLabel = "REPO") String id, @Parameters(paramLabel = "TAG") String tag,
            @Mixin RepoOptions type,
            @Option(names = "--revision", defaultValue = "main", paramLabel = "REV",
                    description = "What to tag (default: ${DEFAULT-VALUE}).") String revision,
            @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Tag message.") Optional<String> message) {
        client().createTag(type.repo(id), tag, revision, message);
        out().println("Tagged " + revision + " as " + tag);
        return ExitCodes.OK;
    }

    @Command(name = "delete", usageHelpAutoWidth = true, mixinStandardHelpOptions = true, description = "Delete a tag.",
            footerHeading = "%nExamples:%n", footer = {"  quiver tag delete acme/my-lora v1", "", ExitCodes.HELP})
    int delete(@Parameters(paramLabel = "REPO") String id, @Parameters(paramLabel = "TAG") String tag,
            @Mixin RepoOptions type) {
        client().deleteTag(type.repo(id), tag);
        out().println("Deleted tag " + tag);
        return ExitCodes.OK;
    }
}

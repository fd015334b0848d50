package dev.quiver.cli;

import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.RepoQuery;
import dev.quiver.client.RepoRef;
import dev.quiver.client.RepoSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code quiver repo create|delete|list|settings}. */
@Command(name = "repo", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Create, delete, list and configure repositories.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver repo create acme/my-lora --private",
            "  quiver repo create acme/support-qa --repo-type dataset",
            "  quiver repo list --author acme",
            "  quiver repo settings acme/my-lora --public",
            "  quiver repo delete acme/old-lora --yes",
            "", ExitCodes.HELP})
final class RepoCommand extends CommandGroup {
    @Command(name = "create", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Create a repository and print its URL.",
            footerHeading = "%nExamples:%n", footer = {"  quiver repo create acme/my-lora",
                "  quiver repo create acme/data --repo-type dataset --private", "", ExitCodes.HELP})
    int create(@Mixin RepoArgument target,
            @Option(names = "--private", description = "Only you (and your orgs) can see it.") boolean isPrivate,
            @Option(names = "--exist-ok", description = "Succeed if it exists already.") boolean existOk) {
        RepoRef repo = target.ref();
        String url = client().createRepo(repo, isPrivate, existOk);
        out().println(url);
        return ExitCodes.OK;
    }

    @Command(name = "delete", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Delete a repository with all its files and history. Asks first on a terminal; "
                    + "needs --yes otherwise.",
            footerHeading = "%nExamples:%n", footer = {"  quiver repo delete acme/old-lora --yes", "", ExitCodes.HELP})
    int delete(@Mixin RepoArgument target,
            @Option(names = {"-y", "--yes"}, description = "Do not ask.") boolean yes,
            @Option(names = "--missing-ok", description = "Succeed if it does not exist.") boolean missingOk) {
        RepoRef repo = target.ref();
        Main main = main();
        if (!yes && !confirm(main.environment(), repo)) {
            throw new HubException(HubException.Problem.BAD_INPUT, main.environment().interactive()
                    ? "not deleted" : "refusing to delete " + repo + " without --yes");
        }
        boolean deleted = main.client().deleteRepo(repo, missingOk);
        out().println(deleted ? "Deleted " + repo : repo + " did not exist");
        return ExitCodes.OK;
    }

    private boolean confirm(CliEnvironment env, RepoRef repo) {
        if (!env.interactive()) {
            return false;
        }
        PrintWriter err = err();
        err.print("Delete " + repo.type().singular() + " " + repo.id() + " and all its history? Type its id to confirm: ");
        err.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8)).readLine();
            return line != null && line.strip().equals(repo.id());
        } catch (IOException e) {
            return false;
        }
    }

    @Command(name = "list", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "List repositories of a user or organisation (yours by default).",
            footerHeading = "%nExamples:%n", footer = {"  quiver repo list", "  quiver repo list --author acme --repo-type dataset --json",
                "", ExitCodes.HELP})
    int list(@Mixin RepoOptions type, @Mixin JsonOption output,
            @Option(names = "--author", paramLabel = "NAME", description = "Whose repositories (default: you).") Optional<String> author,
            @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit) {
        HubClient client = client();
        String owner = author.orElseGet(() -> client.whoami().name());
        List<RepoSummary> repos = client.listRepos(new RepoQuery(type.type, Optional.empty(), Optional.of(owner), List.of(),
                Optional.empty(), Optional.empty(), limit));
        SearchCommand.print(out(), repos, output.json);
        return ExitCodes.OK;
    }

    /** Exactly one of --private / --public, when given. */
    static final class Visibility {
        @Option(names = "--private", description = "Make it private.") boolean makePrivate;
        @Option(names = "--public", description = "Make it public.") boolean makePublic;
    }

    @Command(name = "settings", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Change visibility or gating.",
            footerHeading = "%nExamples:%n", footer = {"  quiver repo settings acme/my-lora --private",
                "  quiver repo settings acme/base --gated manual", "", ExitCodes.HELP})
    int settings(@Mixin RepoArgument target, @Mixin JsonOption output,
            @ArgGroup(exclusive = true) Visibility visibility,
            @Option(names = "--gated", paramLabel = "auto|manual|false",
                    description = "Require approval to download: auto, manual, or false to open it.") Optional<String> gated) {
        RepoRef repo = target.ref();
        gated.ifPresent(g -> {
            if (!List.of("auto", "manual", "false").contains(g)) {
                throw new IllegalArgumentException("--gated must be auto, manual or false, not '" + g + "'");
            }
        });
        Optional<Boolean> isPrivate = visibility == null ? Optional.empty() : Optional.of(visibility.makePrivate);
        if (isPrivate.isEmpty() && gated.isEmpty()) {
            throw new IllegalArgumentException("nothing to change: give --private, --public or --gated");
        }
        var reply = client().updateSettings(repo, isPrivate, gated);
        if (output.json) {
            Output.json(out(), reply);
        } else {
            out().println("Updated " + repo + ": private=" + reply.path("private").asText("?")
                    + ", gated=" + reply.path("gated").asText("?"));
        }
        return ExitCodes.OK;
    }
}

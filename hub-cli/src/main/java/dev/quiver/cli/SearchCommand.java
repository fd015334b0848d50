package dev.quiver.cli;

import dev.quiver.client.RepoQuery;
import dev.quiver.client.RepoSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver search}: the hub's repository search, with the API's filters. */
@Command(name = "search", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Search repositories, with the same filters as GET /api/models and /api/datasets.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver search support",
            "  quiver search --filter base_model:adapter:acme/tiny-llama --sort downloads",
            "  quiver search --filter peft --author acme --json",
            "  quiver search qa --repo-type dataset",
            "", ExitCodes.HELP})
final class SearchCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoOptions type;
    @Mixin
    JsonOption output;

    @Parameters(paramLabel = "QUERY", arity = "0..1", description = "Free text (names, card text).")
    Optional<String> query = Optional.empty();

    @Option(names = "--author", paramLabel = "NAME", description = "Only this user or organisation.")
    Optional<String> author = Optional.empty();

    @Option(names = "--filter", paramLabel = "TAG", description = "A tag every result has (repeatable), e.g. peft, "
            + "license:mit, base_model:adapter:ORG/BASE.")
    List<String> filters = List.of();

    @Option(names = "--pipeline-tag", paramLabel = "TAG", description = "e.g. text-generation.")
    Optional<String> pipelineTag = Optional.empty();

    @Option(names = "--sort", paramLabel = "KEY", description = "lastModified, createdAt, trendingScore, downloads or likes.")
    Optional<String> sort = Optional.empty();

    @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        RepoQuery q = new RepoQuery(type.type, query, author, filters, pipelineTag, sort, limit);
        List<RepoSummary> repos = client().listRepos(q);
        print(out(), repos, output.json);
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, List<RepoSummary> repos, boolean json) {
        if (json) {
            Output.json(out, repos);
            return;
        }
        if (repos.isEmpty()) {
            out.println("(none)");
            out.flush();
            return;
        }
        Table t = new Table("ID", "DOWNLOADS", "LIKES", "UPDATED", "").alignRight(1, 2);
        for (RepoSummary r : repos) {
            t.row(r.id(), r.downloads(), r.likes(), r.lastModified().map(Output::date).orElse("-"),
                    (r.isPrivate() ? "private " : "") + (r.gated().equals("false") ? "" : "gated"));
        }
        t.print(out);
    }
}

package dev.quiver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.AdapterFacts;
import dev.quiver.client.AdapterInspector;
import dev.quiver.client.Checks;
import dev.quiver.client.HubClient;
import dev.quiver.client.JobsClient;
import dev.quiver.client.RepoDetails;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TreeEntry;
import dev.quiver.schema.repo.RepoType;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code quiver info}: what a repository is, at a revision. */
@Command(name = "info", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Describe a repository at a revision.",
            "For an adapter: base model and revision, r, alpha, target modules, trainable parameters and their "
                    + "share of the base, size, verification. For a dataset: files, and rows where the card says."},
        footerHeading = "%nExamples:%n", footer = {
            "  quiver info acme/my-lora",
            "  quiver info acme/my-lora --revision v1 --json",
            "  quiver info acme/support-qa --repo-type dataset",
            "", ExitCodes.HELP})
final class InfoCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoAtRevision target;
    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        RepoRef repo = target.ref();
        String revision = target.revision;
        HubClient client = client();
        RepoDetails details = client.repoInfo(repo, revision);
        String commit = details.sha().orElse(revision);
        List<TreeEntry> files = client.listTree(repo, commit, "", true, false).stream().filter(TreeEntry::isFile).toList();
        Optional<AdapterFacts> adapter = repo.type() == RepoType.MODEL
                ? new AdapterInspector(client).inspect(repo, commit, details) : Optional.empty();
        Map<String, Long> rows = rows(details.cardData());
        Optional<Checks> checks = adapter.isPresent() ? new JobsClient(client.http()).checks(repo, commit) : Optional.empty();
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", details.id());
            json.put("type", repo.type().singular());
            json.put("revision", revision);
            json.put("sha", commit);
            json.put("private", details.isPrivate());
            json.put("gated", details.gated());
            json.put("lastModified", details.lastModified());
            json.put("tags", details.tags());
            json.put("size", files.stream().mapToLong(TreeEntry::size).sum());
            json.put("files", files.stream().map(f -> Map.of("path", f.path(), "size", f.size(), "lfs", f.lfs().isPresent())).toList());
            json.put("adapter", adapter);
            json.put("rows", rows);
            json.put("verification", checks);
            Output.json(out(), json);
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        out.println(details.id() + "  (" + repo.type().singular() + ", " + (details.isPrivate() ? "private" : "public")
                + (details.gated().equals("false") ? "" : ", gated " + details.gated()) + ")");
        line(out, "revision", revision + (revision.equals(commit) ? "" : " -> " + commit)
                + details.lastModified().map(d -> "  (updated " + Output.date(d) + ")").orElse(""));
        long lfs = files.stream().filter(f -> f.lfs().isPresent()).count();
        line(out, "size", Output.size(files.stream().mapToLong(TreeEntry::size).sum()) + " in " + files.size()
                + (files.size() == 1 ? " file" : " files") + (lfs > 0 ? " (" + lfs + " in LFS)" : ""));
        adapter.ifPresent(a -> printAdapter(out, a));
        if (repo.type() == RepoType.DATASET) {
            line(out, "rows", rows.isEmpty() ? "not stated in the card" : String.join("; ", rows.entrySet().stream()
                    .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d", e.getValue())).toList()));
            files.forEach(f -> out.println("    " + Output.size(f.size()) + "  " + f.path()));
        }
        if (adapter.isPresent()) {
            line(out, "verification", checks.map(InfoCommand::describe)
                    .orElse("not available (verification is a Quiver hub feature)"));
        }
        if (!details.tags().isEmpty()) {
            line(out, "tags", String.join(", ", details.tags()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void printAdapter(PrintWriter out, AdapterFacts a) {
        line(out, "adapter", a.peftType() + ", r=" + a.r() + ", alpha=" + trim(a.alpha()) + ", targets "
                + String.join(", ", a.targetModules()));
        line(out, "base", a.baseModel() + a.baseRevision().map(r -> " @ " + r).orElse(" (revision not pinned)"));
        line(out, "trainable", String.format(Locale.ROOT, "%,d parameters", a.parameters())
                + a.shareOfBase().map(s -> String.format(Locale.ROOT, " (%.4f%% of the base's %,d)", s * 100,
                        a.baseParameters().orElseThrow())).orElse(" (base model size unknown here)"));
    }

    private static void line(PrintWriter out, String label, String value) {
        out.println("  " + (label + ":" + " ".repeat(Math.max(1, 14 - label.length()))) + value);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Rows per split from the card's {@code dataset_info} (one config or a list of them). */
    static Map<String, Long> rows(JsonNode card) {
        Map<String, Long> rows = new LinkedHashMap<>();
        JsonNode info = card.path("dataset_info");
        List<JsonNode> configs = info.isArray() ? java.util.stream.StreamSupport.stream(info.spliterator(), false).toList()
                : List.of(info);
        for (JsonNode config : configs) {
            String prefix = configs.size() > 1 && config.path("config_name").isTextual()
                    ? config.path("config_name").asText() + "/" : "";
            for (JsonNode split : config.path("splits")) {
                if (split.path("num_examples").canConvertToLong()) {
                    rows.merge(prefix + split.path("name").asText("?"), split.path("num_examples").asLong(), Long::sum);
                }
            }
        }
        return rows;
    }

    private static String describe(Checks checks) {
        if (checks.checks().isEmpty()) {
            return "no checks recorded yet";
        }
        return checks.status() + " (" + String.join(", ", checks.checks().stream()
                .map(c -> c.name() + " " + c.status()).toList()) + ")";
    }
}

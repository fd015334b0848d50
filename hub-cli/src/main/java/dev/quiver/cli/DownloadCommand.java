package dev.quiver.cli;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.Downloader;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.client.PathFilter;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TransferListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver download}: files or a whole snapshot, into the HF cache or a folder. */
@Command(name = "download", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Download files, or a whole snapshot, and print where they are.",
            "By default into the Hugging Face cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub), "
                    + "where transformers and peft find them, offline too. Blobs already in the cache are not "
                    + "downloaded again; interrupted downloads resume; every file is checked against its hash."},
        footerHeading = "%nExamples:%n", footer = {
            "  quiver download acme/my-lora                                  (snapshot of main)",
            "  quiver download acme/my-lora adapter_config.json              (one file)",
            "  quiver download acme/my-lora --revision v1 --include '*.json'",
            "  quiver download acme/support-qa --repo-type dataset --local-dir ./data",
            "  HF_HUB_OFFLINE=1 python -c \"from peft import PeftModel; ...\"   (then load it offline)",
            "", ExitCodes.HELP})
final class DownloadCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoArgument target;
    @Mixin
    TransferOptions transfer;
    @Mixin
    JsonOption output;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE", description = "Paths in the repo (default: everything).")
    List<String> files = List.of();

    @Option(names = "--revision", defaultValue = "main", paramLabel = "REV",
            description = "Branch, tag, commit or refs/pr/N (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--local-dir", paramLabel = "DIR", description = "Write plain files here instead of the cache.")
    Optional<Path> localDir = Optional.empty();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Use this cache instead of HF_HUB_CACHE.")
    Optional<Path> cacheDir = Optional.empty();

    @Option(names = "--force", description = "Download again even what is already there.")
    boolean force;

    @Override
    public Integer call() {
        transfer.check();
        if (!files.isEmpty() && (!transfer.include.isEmpty() || !transfer.exclude.isEmpty())) {
            throw new IllegalArgumentException("give FILEs or --include/--exclude, not both");
        }
        RepoRef repo = target.ref();
        TransferListener progress = transfer.progress(main().environment(), err(), "download");
        ClientSettings settings = main().settings();
        HubClient client = HubClient.create(settings);
        HfCache cache = new HfCache(cacheDir.orElse(settings.hubCache()));
        try {
            Downloader downloader = new Downloader(client, cache, progress, transfer.workers);
            if (files.isEmpty()) {
                PathFilter filter = new PathFilter(transfer.include, transfer.exclude);
                Downloader.SnapshotResult r = localDir.isPresent()
                        ? downloader.snapshot(repo, revision, filter, localDir.get(), force)
                        : downloader.snapshot(repo, revision, filter, force);
                ProgressDisplay.closeIfShown(progress);
                report(r.folder(), List.of(), Optional.of(r));
            } else {
                List<Path> paths = new ArrayList<>();
                for (String f : files) {
                    paths.add(localDir.isPresent() ? downloader.file(repo, revision, f, localDir.get(), force)
                            : downloader.file(repo, revision, f, force));
                }
                ProgressDisplay.closeIfShown(progress);
                Path where = paths.size() == 1 ? paths.get(0) : localDir.orElseGet(() -> snapshotOf(paths.get(0), files.get(0)));
                report(where, paths, Optional.empty());
            }
        } finally {
            ProgressDisplay.closeIfShown(progress);
        }
        return ExitCodes.OK;
    }

    /** The snapshot folder a downloaded file sits in: the file's path minus its path in the repo. */
    private static Path snapshotOf(Path file, String pathInRepo) {
        Path p = file;
        for (int i = 0; i < pathInRepo.split("/").length; i++) {
            p = p.getParent();
        }
        return p;
    }

    private void report(Path where, List<Path> paths, Optional<Downloader.SnapshotResult> snapshot) {
        PrintWriter out = out();
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("path", where.toString());
            if (snapshot.isPresent()) {
                json.put("commit", snapshot.get().commit());
                json.put("files", snapshot.get().files());
                json.put("fetched", snapshot.get().fetched());
                json.put("bytesFetched", snapshot.get().bytesFetched());
            } else {
                json.put("files", paths.stream().map(Path::toString).toList());
            }
            Output.json(out, json);
            return;
        }
        out.println(where);
        out.flush();
        if (snapshot.isPresent() && !transfer.quiet) {
            Downloader.SnapshotResult s = snapshot.get();
            PrintWriter err = err();
            err.println(s.fetched() == 0
                    ? "All " + s.files() + " files of " + Output.shortId(s.commit()) + " were already there."
                    : "Fetched " + s.fetched() + " of " + s.files() + " files (" + Output.size(s.bytesFetched())
                            + ") at " + Output.shortId(s.commit()) + ".");
            err.flush();
        }
    }
}

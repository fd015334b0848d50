package dev.quiver.cli;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.Downloader;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.HubException.Problem;
import dev.quiver.client.PathFilter;
import dev.quiver.client.RepoFilePath;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TransferListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver download}: files or a whole snapshot, into the HF cache or a folder. */
@Command(name = "download", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Download files, or a whole snapshot, and print where they are.",
            "By default into the Hugging Face cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub), "
                    + "where transformers and peft find them, offline too. Blobs already in the cache are not "
                    + "downloaded again; interrupted downloads resume; every file is checked against its hash. "
                    + "With HF_HUB_OFFLINE=1 the answer comes from the cache (or --local-dir) alone."},
        footerHeading = "%nExamples:%n", footer = {
            "  quiver download acme/my-lora                                  (snapshot of main)",
            "  quiver download acme/my-lora adapter_config.json              (one file)",
            "  quiver download acme/my-lora --revision v1 --include '*.json'",
            "  quiver download acme/support-qa --repo-type dataset --local-dir ./data",
            "  HF_HUB_OFFLINE=1 python -c \"from peft import PeftModel; ...\"   (then load it offline)",
            "  HF_HUB_OFFLINE=1 quiver download acme/my-lora                 (the cached snapshot; no network)",
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
        ClientSettings settings = main().settings();
        HfCache cache = new HfCache(cacheDir.orElse(settings.hubCache()));
        if (offline(main().environment().variables())) {
            if (force) {
                throw new IllegalArgumentException("--force downloads again, which HF_HUB_OFFLINE forbids: unset one");
            }
            fromDisk(repo, cache);
            return ExitCodes.OK;
        }
        TransferListener progress = transfer.progress(main().environment(), err(), "download");
        HubClient client = HubClient.create(settings);
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

    /** huggingface_hub's test: {@code HF_HUB_OFFLINE} (else the older {@code TRANSFORMERS_OFFLINE}) is 1, ON, YES or TRUE. */
    static boolean offline(Map<String, String> env) {
        String value = Optional.ofNullable(env.get("HF_HUB_OFFLINE")).filter(v -> !v.isEmpty())
                .or(() -> Optional.ofNullable(env.get("TRANSFORMERS_OFFLINE"))).orElse("").strip().toUpperCase(Locale.ROOT);
        return Set.of("1", "ON", "YES", "TRUE").contains(value);
    }

    /**
     * With {@code HF_HUB_OFFLINE} set, the answer comes from the disk alone, as huggingface_hub's:
     * the revision's files or snapshot as the cache (or {@code --local-dir}) holds them, and the hub
     * is never asked, so a job without network can still find what an earlier one downloaded.
     */
    private void fromDisk(RepoRef repo, HfCache cache) {
        if (localDir.isPresent()) {
            Path dir = localDir.get();
            List<Path> paths = new ArrayList<>();
            for (String f : files) {
                Path file = dir.resolve(RepoFilePath.check(f));
                if (!Files.isRegularFile(file)) {
                    throw notOnDisk("'" + f + "' of " + repo, dir);
                }
                paths.add(file);
            }
            if (!Files.isDirectory(dir)) {
                throw notOnDisk(repo.toString(), dir);
            }
            report(paths.size() == 1 ? paths.get(0) : dir, paths, Optional.empty());
            return;
        }
        String commit = cache.cachedCommit(repo, revision)
                .orElseThrow(() -> notOnDisk(repo + " at " + revision, cache.root()));
        Path folder = cache.snapshot(repo, commit);
        if (files.isEmpty()) {
            report(folder, List.of(), Optional.of(new Downloader.SnapshotResult(folder, commit, countFiles(folder), 0, 0)));
            return;
        }
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            if (!cache.hasSnapshotFile(repo, commit, f)) {
                throw notOnDisk("'" + f + "' of " + repo + " at " + revision, cache.root());
            }
            paths.add(cache.snapshotFile(repo, commit, f));
        }
        report(paths.size() == 1 ? paths.get(0) : folder, paths, Optional.empty());
    }

    private static HubException notOnDisk(String what, Path where) {
        return new HubException(Problem.NOT_FOUND, what + " is not in " + where
                + ", and HF_HUB_OFFLINE is set: download it once without HF_HUB_OFFLINE");
    }

    private static int countFiles(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            return (int) all.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
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

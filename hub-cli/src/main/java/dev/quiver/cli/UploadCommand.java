package dev.quiver.cli;

import dev.quiver.client.CommitOptions;
import dev.quiver.client.CommitResult;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.HubException.Problem;
import dev.quiver.client.LocalFile;
import dev.quiver.client.PathFilter;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TransferListener;
import dev.quiver.client.TreeEntry;
import dev.quiver.client.Uploader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver upload}: a file or a folder as one commit, large files through LFS. */
@Command(name = "upload", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Upload a file or a folder to a repository as one commit. Files the repo already has "
                + "unchanged are skipped; large files go through LFS (multipart when the hub offers it). "
                + "A repo or branch that does not exist yet is created, as hf upload does.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver upload acme/my-lora ./out                       (folder contents to the repo root)",
            "  quiver upload acme/new-lora ./out --private            (creates the repo, private)",
            "  quiver upload acme/my-lora ./adapter_model.safetensors  (one file, same name)",
            "  quiver upload acme/support-qa ./data data --repo-type dataset --include '*.jsonl'",
            "  quiver upload acme/my-lora ./out --revision dev -m \"Retrain on v2 data\"",
            "  quiver upload acme/my-lora ./out --create-pr",
            "  quiver upload acme/my-lora ./out --delete '*.bin'      (remove stale files in the same commit)",
            "", ExitCodes.HELP})
final class UploadCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    RepoArgument target;
    @Mixin
    TransferOptions transfer;
    @Mixin
    JsonOption output;

    @Parameters(index = "1", paramLabel = "LOCAL_PATH", description = "A file or a folder.")
    Path local;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PATH_IN_REPO",
            description = "Where it goes in the repo (default: the file's name, or the root for a folder).")
    Optional<String> pathInRepo = Optional.empty();

    @Option(names = "--revision", defaultValue = "main", paramLabel = "BRANCH", description = "Branch to commit to (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = {"-m", "--commit-message"}, paramLabel = "MESSAGE", description = "Commit title.")
    Optional<String> message = Optional.empty();

    @Option(names = "--commit-description", paramLabel = "TEXT", description = "Commit description.")
    String description = "";

    @Option(names = "--create-pr", description = "Open a pull request against the branch instead of committing to it.")
    boolean createPr;

    @Option(names = "--private", description = "Make the repo private if this upload creates it.")
    boolean isPrivate;

    @Option(names = "--delete", paramLabel = "GLOB", description = "Delete remote files under PATH_IN_REPO matching "
            + "this (repeatable) in the same commit, unless uploaded now.")
    List<String> delete = List.of();

    @Override
    public Integer call() {
        transfer.check();
        RepoRef repo = target.ref();
        if (!Files.exists(local)) {
            throw new IllegalArgumentException(local + " does not exist");
        }
        boolean folder = Files.isDirectory(local);
        String prefix = pathInRepo.map(UploadCommand::asRepoPath)
                .orElse(folder ? "" : local.getFileName().toString());
        List<LocalFile> files = folder ? collect(local, prefix, new PathFilter(transfer.include, transfer.exclude))
                : List.of(new LocalFile(local, prefix));
        if (files.isEmpty() && delete.isEmpty()) {
            throw new IllegalArgumentException("nothing to upload: no file in " + local + " matches");
        }
        HubClient client = client();
        ensureTarget(client, repo);
        List<String> deletions = deletions(client, repo, folder ? prefix : "", files);
        String summary = message.orElse(folder ? "Upload " + (prefix.isEmpty() ? "files" : prefix) + " with quiver"
                : "Upload " + prefix + " with quiver");
        CommitOptions options = new CommitOptions(revision, summary, description, createPr, Optional.empty(), deletions);
        TransferListener progress = transfer.progress(main().environment(), err(), "upload");
        CommitResult result;
        try {
            result = new Uploader(client, progress, transfer.workers).upload(repo, files, options);
        } finally {
            ProgressDisplay.closeIfShown(progress);
        }
        report(repo, files.size(), deletions.size(), result);
        return ExitCodes.OK;
    }

    /**
     * As {@code hf upload}: a repo that does not exist yet is created ({@code --private} makes it
     * private), and so is the branch {@code --revision} names unless the upload opens a pull request.
     */
    private void ensureTarget(HubClient client, RepoRef repo) {
        try {
            client.createRepo(repo, isPrivate, false);
            note("Created " + (isPrivate ? "private " : "") + repo.type().singular() + " repo " + repo.id() + ".");
        } catch (HubException e) {
            // it exists; or this token may not create repos here, which is fine if it exists (huggingface_hub's rule)
            boolean existing = e.problem() == Problem.CONFLICT || e.problem() == Problem.FORBIDDEN && exists(client, repo);
            if (!existing) {
                throw e;
            }
        }
        if (createPr || revision.equals("main")) {
            return;
        }
        try {
            client.repoInfo(repo, revision);
        } catch (HubException e) {
            if (e.problem() != Problem.NOT_FOUND || !e.errorCode().equals(Optional.of("RevisionNotFound"))) {
                throw e;
            }
            try {
                client.createBranch(repo, revision, Optional.empty());
                note("Created branch " + revision + " of " + repo + ".");
            } catch (HubException c) {
                if (c.problem() != Problem.CONFLICT) { // another upload made it meanwhile
                    throw c;
                }
            }
        }
    }

    private static boolean exists(HubClient client, RepoRef repo) {
        try {
            client.repoInfo(repo, "main");
            return true;
        } catch (HubException e) {
            return false;
        }
    }

    private void note(String line) {
        if (!transfer.quiet) {
            err().println(line);
            err().flush();
        }
    }

    private void report(RepoRef repo, int count, int deleted, CommitResult r) {
        PrintWriter out = out();
        if (output.json) {
            Output.json(out, r);
            return;
        }
        out.println(r.pullRequestUrl().orElse(r.commitUrl()));
        out.flush();
        if (transfer.quiet) {
            return;
        }
        PrintWriter err = err();
        if (!r.committed()) {
            err.println("Nothing to commit: " + repo + "@" + revision + " already has all " + count + " files.");
        } else {
            err.println("Committed " + r.filesChanged() + " of " + count + " files" + (deleted > 0 ? " and " + deleted
                    + " deletions" : "") + " to " + repo + "@" + revision + " as " + Output.shortId(r.commitOid())
                    + (r.lfsUploaded() > 0 ? "; " + r.lfsUploaded() + " LFS objects sent (" + Output.size(r.bytesUploaded()) + ")" : "")
                    + (r.filesUnchanged() > 0 ? "; " + r.filesUnchanged() + " unchanged" : "") + ".");
        }
        err.flush();
    }

    private List<String> deletions(HubClient client, RepoRef repo, String prefix, List<LocalFile> files) {
        if (delete.isEmpty()) {
            return List.of();
        }
        PathFilter patterns = new PathFilter(delete, List.of());
        Set<String> uploading = new HashSet<>();
        files.forEach(f -> uploading.add(f.pathInRepo()));
        List<String> out = new ArrayList<>();
        for (TreeEntry e : client.listTree(repo, revision, "", true, false)) {
            if (!e.isFile() || uploading.contains(e.path()) || e.path().equals(".gitattributes")) {
                continue;
            }
            if (prefix.isEmpty() || e.path().startsWith(prefix + "/")) {
                String relative = prefix.isEmpty() ? e.path() : e.path().substring(prefix.length() + 1);
                if (patterns.matches(relative)) {
                    out.add(e.path());
                }
            }
        }
        return out;
    }

    /** The files under {@code root} the filter keeps, as repository paths under {@code prefix}, sorted. */
    static List<LocalFile> collect(Path root, String prefix, PathFilter filter) {
        List<LocalFile> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = relative(root, file);
                    if (Files.isRegularFile(file) && filter.matches(relative)) {
                        files.add(new LocalFile(file, prefix.isEmpty() ? relative : prefix + "/" + relative));
                    }
                    return FileVisitResult.CONTINUE;
                }

                /** Git internals and huggingface_hub's download bookkeeping are never uploaded (as upload_folder). */
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean hfBookkeeping = name.equals("huggingface") && dir.getParent() != null
                            && dir.getParent().getFileName() != null && dir.getParent().getFileName().toString().equals(".cache");
                    return !dir.equals(root) && (name.equals(".git") || hfBookkeeping)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root, e);
        }
        files.sort((a, b) -> a.pathInRepo().compareTo(b.pathInRepo()));
        return files;
    }

    private static String relative(Path root, Path file) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    /** PATH_IN_REPO as huggingface_hub takes it: no slashes around it, a leading "./" dropped, "." the root. */
    static String asRepoPath(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(".")) {
            return "";
        }
        if (!p.isEmpty() && (p.contains("//") || p.contains("\\"))) {
            throw new HubException(HubException.Problem.BAD_INPUT, "invalid path in repo '" + path + "'");
        }
        return p;
    }
}

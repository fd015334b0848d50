package dev.quiver.server.git;

import dev.quiver.server.repo.ContentRules;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * What a push must satisfy before any ref moves: the same content rules as a commit through the API,
 * applied to every file each pushed commit adds or changes (LFS pointers name uploaded objects, the
 * model card front matter parses, a {@code quiver.yaml} validates, paths are valid), plus the ref
 * rules of git access: only {@code refs/heads/*} and {@code refs/tags/*}, branches point at commits,
 * the default branch is never deleted, and deletions need {@link RepoInfo#allowForcePush()} like
 * other history rewrites. Problems are sentences a user can act on, each naming its commit or ref.
 */
public final class PushRules {
    /** Past this many problems a push is refused without looking further. */
    static final int MAX_PROBLEMS = 50;
    /** The largest model card or recipe a push may carry, as for the API. */
    static final long MAX_CHECKED_TEXT = 8L << 20;
    /** Git LFS pointers are smaller than this (the spec's limit), so larger blobs need no reading. */
    private static final long MAX_POINTER = 1024;

    private final ContentRules content;

    public PushRules(ContentRules content) {
        this.content = content;
    }

    /** Every problem with applying {@code commands} to {@code git}; empty when the push may land. */
    public List<String> check(Repository git, RepoInfo info, Collection<ReceiveCommand> commands) throws IOException {
        List<String> problems = new ArrayList<>();
        String defaultBranch = defaultBranch(git);
        for (ReceiveCommand cmd : commands) {
            checkRef(cmd, info, defaultBranch, problems);
        }
        if (problems.isEmpty()) {
            checkNewCommits(git, commands, problems);
        }
        return problems.size() > MAX_PROBLEMS ? List.copyOf(problems.subList(0, MAX_PROBLEMS)) : problems;
    }

    private static void checkRef(ReceiveCommand cmd, RepoInfo info, String defaultBranch, List<String> problems) {
        String ref = cmd.getRefName();
        boolean branch = ref.startsWith(Constants.R_HEADS);
        if (!branch && !ref.startsWith(Constants.R_TAGS)) {
            problems.add(ref + ": only refs/heads/* and refs/tags/* can be pushed"
                    + (ref.startsWith("refs/pr/") ? " (pull requests change through the API)" : ""));
            return;
        }
        if (cmd.getType() == ReceiveCommand.Type.DELETE) {
            if (ref.equals(defaultBranch)) {
                problems.add(ref + ": the default branch cannot be deleted");
            } else if (!info.allowForcePush()) {
                problems.add(ref + ": deleting refs is refused unless the repository allows force pushes"
                        + " (settings: allowForcePush)");
            }
        }
    }

    private void checkNewCommits(Repository git, Collection<ReceiveCommand> commands, List<String> problems)
            throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            for (Ref ref : git.getRefDatabase().getRefs()) {
                if (ref.getObjectId() != null && peel(walk, ref.getObjectId()).orElse(null) instanceof RevCommit c) {
                    walk.markUninteresting(c);
                }
            }
            boolean anyStart = false;
            for (ReceiveCommand cmd : commands) {
                if (cmd.getType() == ReceiveCommand.Type.DELETE) {
                    continue;
                }
                if (peel(walk, cmd.getNewId()).orElse(null) instanceof RevCommit c) {
                    walk.markStart(c);
                    anyStart = true;
                } else {
                    problems.add(cmd.getRefName() + ": " + cmd.getNewId().name() + " is not a commit;"
                            + " branches and tags must point at commits");
                }
            }
            if (!anyStart) {
                return;
            }
            FileChecker files = new FileChecker(walk.getObjectReader(), problems);
            for (RevCommit commit : walk) {
                files.check(walk, commit);
                if (problems.size() > MAX_PROBLEMS) {
                    return;
                }
            }
        }
    }

    private static Optional<RevObject> peel(RevWalk walk, ObjectId id) throws IOException {
        try {
            return Optional.of(walk.peel(walk.parseAny(id)));
        } catch (MissingObjectException e) {
            return Optional.empty();
        }
    }

    private static String defaultBranch(Repository git) throws IOException {
        Ref head = git.exactRef(Constants.HEAD);
        return head != null && head.isSymbolic() ? head.getTarget().getName() : "";
    }

    /** Checks the files of commits, reading each distinct blob once. */
    private final class FileChecker {
        private final ObjectReader reader;
        private final List<String> problems;
        private final Set<String> seen = new HashSet<>();

        FileChecker(ObjectReader reader, List<String> problems) {
            this.reader = reader;
            this.problems = problems;
        }

        void check(RevWalk walk, RevCommit commit) throws IOException {
            String where = "commit " + commit.abbreviate(7).name() + ": ";
            try (TreeWalk tw = new TreeWalk(reader)) {
                tw.setRecursive(true);
                if (commit.getParentCount() > 0) {
                    tw.addTree(walk.parseCommit(commit.getParent(0)).getTree());
                } else {
                    tw.addTree(new EmptyTreeIterator());
                }
                tw.addTree(commit.getTree());
                tw.setFilter(TreeFilter.ANY_DIFF);
                while (tw.next()) {
                    FileMode mode = tw.getFileMode(1);
                    String path = tw.getPathString();
                    if (mode == FileMode.MISSING) {
                        continue;
                    }
                    String pathProblem = RepoPath.problem(path);
                    if (!pathProblem.isEmpty()) {
                        problems.add(where + "invalid path '" + path + "': " + pathProblem);
                    } else if (mode == FileMode.GITLINK) {
                        problems.add(where + path + ": submodules are not supported");
                    } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                        checkFile(where, path, tw.getObjectId(1));
                    }
                }
            }
        }

        private void checkFile(String where, String path, ObjectId blob) throws IOException {
            boolean text = path.equals(ContentRules.README) || path.equals(ContentRules.RECIPE);
            if (!seen.add((text ? path : "") + ":" + blob.name())) {
                return;
            }
            long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
            if (!text && size >= MAX_POINTER) {
                return;
            }
            if (size > MAX_CHECKED_TEXT) {
                problems.add(where + path + " is larger than " + (MAX_CHECKED_TEXT >> 20) + " MiB");
                return;
            }
            for (String problem : content.checkFile(path, reader.open(blob, Constants.OBJ_BLOB).getBytes())) {
                problems.add(where + problem);
            }
        }
    }
}

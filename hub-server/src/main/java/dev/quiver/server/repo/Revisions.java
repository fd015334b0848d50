package dev.quiver.server.repo;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Resolves what clients send as a revision: {@code HEAD}, a branch, a tag, a full ref
 * ({@code refs/pr/3}), a full or abbreviated (7+ hex) commit id. Git revision expressions such as
 * {@code main~1} are not revisions here; anything unknown is {@code RevisionNotFound}.
 */
public final class Revisions {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{7,40}");

    private Revisions() {
    }

    public static Revision resolve(Repository repo, String rev) {
        return find(repo, rev).orElseThrow(() -> new QuiverException(Reason.REVISION_NOT_FOUND,
                "Invalid rev id: " + rev));
    }

    public static Optional<Revision> find(Repository repo, String rev) {
        try {
            if (rev.isEmpty() || rev.length() > 1024) {
                return Optional.empty();
            }
            if (rev.equals(Constants.HEAD)) {
                Ref head = repo.exactRef(Constants.HEAD);
                return head == null || head.getObjectId() == null ? Optional.empty()
                        : fromRef(repo, rev, head.getTarget().getName(), head.getObjectId());
            }
            for (String name : rev.startsWith("refs/") ? new String[] {rev}
                    : new String[] {Constants.R_HEADS + rev, Constants.R_TAGS + rev}) {
                if (Repository.isValidRefName(name)) {
                    Ref ref = repo.exactRef(name);
                    if (ref != null && ref.getObjectId() != null) {
                        return fromRef(repo, rev, name, ref.getObjectId());
                    }
                }
            }
            return HEX.matcher(rev).matches() ? commitById(repo, rev) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Revision> fromRef(Repository repo, String asked, String ref, ObjectId id)
            throws IOException {
        return peelToCommit(repo, id).map(c -> new Revision(asked, ref, c));
    }

    private static Optional<Revision> commitById(Repository repo, String hex) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            ObjectId id;
            if (hex.length() == 40) {
                id = ObjectId.fromString(hex.toLowerCase());
            } else {
                Collection<ObjectId> matches = reader.resolve(AbbreviatedObjectId.fromString(hex.toLowerCase()));
                if (matches.size() != 1) {
                    return Optional.empty();
                }
                id = matches.iterator().next();
            }
            return peelToCommit(repo, id).filter(c -> c.getId().equals(id)).map(c -> new Revision(hex, "", c));
        }
    }

    private static Optional<RevCommit> peelToCommit(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject obj = walk.peel(walk.parseAny(id));
            return obj instanceof RevCommit c ? Optional.of(c) : Optional.empty();
        } catch (MissingObjectException e) {
            return Optional.empty();
        }
    }
}

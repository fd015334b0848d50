package dev.quiver.server.jobs;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Every adapter commit gets checked, whoever made it: the hub's static check at once, then a
 * runner's dynamic check through a verify job (commits a train job made carry their dynamic check
 * with them). A new commit on a base model re-verifies every adapter that follows it.
 */
public final class VerificationTrigger {
    /** The commit-message trailer runners put on the adapters they commit. */
    public static final String JOB_TRAILER = "Quiver-Job:";

    private final RepoStore repos;
    private final StaticCheck staticCheck;
    private final CheckStore checks;
    private final RecipeIndex recipes;
    private final JobQueue queue;

    public VerificationTrigger(RepoStore repos, StaticCheck staticCheck, CheckStore checks, RecipeIndex recipes,
            JobQueue queue) {
        this.repos = repos;
        this.staticCheck = staticCheck;
        this.checks = checks;
        this.recipes = recipes;
        this.queue = queue;
    }

    public void on(RepoEvent event) {
        if (event.kind() != RepoEvent.Kind.REF_UPDATED || event.repo().type() != RepoType.MODEL
                || !event.ref().startsWith("refs/heads/") || event.newId().equals(ObjectId.zeroId().name())
                || repos.info(event.repo()).isEmpty()) {
            return;
        }
        RevCommit commit = commit(repos.git(event.repo()), event.newId());
        if (event.ref().equals("refs/heads/" + RepoStore.DEFAULT_BRANCH)) {
            reverifyFollowers(event.repo(), commit.name());
        }
        Optional<Check> check = staticCheck.run(event.repo(), commit);
        if (check.isEmpty()) {
            return;
        }
        checks.record(event.repo(), commit.name(), List.of(check.get()));
        if (check.get().passed() && !commit.getFullMessage().contains(JOB_TRAILER)) {
            queueVerify(event.repo(), commit.name(), "", "adapter commit " + commit.name());
        }
    }

    private void reverifyFollowers(RepoId base, String baseCommit) {
        for (RecipeIndex.Follow f : recipes.followersOfBase(base)) {
            Optional<Revision> head = Revisions.find(repos.git(f.adapter()), RepoStore.DEFAULT_BRANCH);
            head.ifPresent(h -> queueVerify(f.adapter(), h.sha(), baseCommit, "base model " + base.id() + "@" + baseCommit));
        }
    }

    private void queueVerify(RepoId adapter, String commit, String baseCommit, String trigger) {
        JobSpec spec = new JobSpec(adapter.id(), commit, "", "", "", "", "", baseCommit, trigger);
        queue.enqueue(JobKind.VERIFY, adapter, String.join("|", "verify", adapter.id(), commit, baseCommit), spec, "hub");
    }

    private static RevCommit commit(Repository git, String id) {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(ObjectId.fromString(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.quiver.server.jobs;

import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Turns repository events into training jobs: an adapter's {@code main} changing updates what it
 * follows; a new commit on a followed dataset branch queues one train job per following adapter,
 * keyed by (adapter, recipe blob, dataset commit, base commit) so a repeated event never trains twice.
 */
public final class TrainingTrigger {
    private final RepoStore repos;
    private final RecipeIndex recipes;
    private final JobQueue queue;

    public TrainingTrigger(RepoStore repos, RecipeIndex recipes, JobQueue queue) {
        this.repos = repos;
        this.recipes = recipes;
        this.queue = queue;
    }

    /** The outbox consumer. */
    public void on(RepoEvent event) {
        if (event.kind() == RepoEvent.Kind.REPO_DELETED && event.repo().type() == RepoType.MODEL) {
            recipes.remove(event.repo());
            return;
        }
        if (event.kind() != RepoEvent.Kind.REF_UPDATED || event.newId().equals(ObjectId.zeroId().name())
                || !event.ref().startsWith("refs/heads/") || repos.info(event.repo()).isEmpty()) {
            return;
        }
        String branch = event.ref().substring("refs/heads/".length());
        if (event.repo().type() == RepoType.MODEL && branch.equals(RepoStore.DEFAULT_BRANCH)) {
            recipes.update(event.repo(), repos.git(event.repo()), ObjectId.fromString(event.newId()));
        } else if (event.repo().type() == RepoType.DATASET) {
            for (RecipeIndex.Follow f : recipes.followersOf(event.repo(), branch)) {
                queueTraining(f.adapter(), event.newId(), "dataset " + event.repo().id() + "@" + event.newId(), "",
                        "hub");
            }
        }
    }

    /** Starts a retrain of {@code adapter} on its dataset's current head (the API and {@code quiver train}). */
    public Job startManually(RepoId adapter, String by) {
        RecipeIndex.RecipeAt recipe = currentRecipe(adapter);
        RepoId dataset = RepoId.of(RepoType.DATASET, recipe.recipe().dataset().repo());
        Revision head = Revisions.resolve(repos.git(dataset), recipe.recipe().dataset().branch());
        return queueTraining(adapter, head.sha(), "started by " + by, "#manual-" + System.nanoTime(), by);
    }

    private Job queueTraining(RepoId adapter, String datasetCommit, String trigger, String keySuffix, String by) {
        Repository git = repos.git(adapter);
        Revision main = Revisions.resolve(git, RepoStore.DEFAULT_BRANCH);
        RecipeIndex.RecipeAt at = RecipeIndex.read(git, main.commit()).orElseThrow(() -> noRecipe(adapter));
        Recipe recipe = at.recipe();
        RepoId dataset = RepoId.of(RepoType.DATASET, recipe.dataset().repo());
        RepoId base = RepoId.of(RepoType.MODEL, recipe.baseModel().repo());
        String baseCommit = Revisions.resolve(repos.git(base), recipe.baseModel().revision()
                .orElse(RepoStore.DEFAULT_BRANCH)).sha();
        String key = String.join("|", "train", adapter.id(), at.blob(), datasetCommit, baseCommit) + keySuffix;
        JobSpec spec = new JobSpec(adapter.id(), main.sha(), at.text(), at.blob(), dataset.id(), datasetCommit,
                base.id(), baseCommit, trigger);
        return queue.enqueue(JobKind.TRAIN, adapter, key, spec, by);
    }

    private RecipeIndex.RecipeAt currentRecipe(RepoId adapter) {
        Repository git = repos.git(adapter);
        return RecipeIndex.read(git, Revisions.resolve(git, RepoStore.DEFAULT_BRANCH).commit())
                .orElseThrow(() -> noRecipe(adapter));
    }

    private static QuiverException noRecipe(RepoId adapter) {
        return new QuiverException(Reason.BAD_REQUEST, adapter.id() + " has no valid quiver.yaml on main: add a recipe"
                + " that names its base model and dataset first");
    }
}

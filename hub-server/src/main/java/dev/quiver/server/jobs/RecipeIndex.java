package dev.quiver.server.jobs;

import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.recipe.RecipeException;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.Database;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Which adapters follow which dataset branch and base model, read from the {@code quiver.yaml} on
 * each adapter repo's {@code main}. It is derived data: updated from repository events.
 */
public final class RecipeIndex {
    public static final String RECIPE = "quiver.yaml";

    private final Database db;

    public RecipeIndex(Database db) {
        this.db = db;
    }

    /** An adapter's recipe as of one of its commits. */
    public record Follow(RepoId adapter, RepoId dataset, String datasetBranch, RepoId base, String recipeBlob,
            String adapterCommit) {
    }

    /** The recipe at {@code commit} of an adapter repo, with its blob id, if it has a valid one. */
    public record RecipeAt(Recipe recipe, String text, String blob) {
    }

    public static Optional<RecipeAt> read(Repository git, ObjectId commit) {
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader);
                TreeWalk tree = TreeWalk.forPath(reader, RECIPE, walk.parseCommit(commit).getTree())) {
            if (tree == null) {
                return Optional.empty();
            }
            ObjectId blob = tree.getObjectId(0);
            String text = new String(reader.open(blob).getBytes(), StandardCharsets.UTF_8);
            return Optional.of(new RecipeAt(Recipe.parse(text), text, blob.name()));
        } catch (RecipeException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what {@code adapter} follows as of {@code commit} on its main branch. */
    public void update(RepoId adapter, Repository git, ObjectId commit) {
        Optional<RecipeAt> at = read(git, commit);
        if (at.isEmpty()) {
            remove(adapter);
            return;
        }
        Recipe r = at.get().recipe();
        RepoId dataset = RepoId.of(RepoType.DATASET, r.dataset().repo());
        RepoId base = RepoId.of(RepoType.MODEL, r.baseModel().repo());
        db.update("INSERT OR REPLACE INTO recipe_follows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", adapter.owner(),
                adapter.name(), dataset.owner(), dataset.name(), r.dataset().branch(), base.owner(), base.name(),
                at.get().blob(), commit.name());
    }

    public void remove(RepoId adapter) {
        db.update("DELETE FROM recipe_follows WHERE adapter_owner = ? AND adapter_name = ?", adapter.owner(),
                adapter.name());
    }

    public List<Follow> followersOf(RepoId dataset, String branch) {
        return db.query("SELECT * FROM recipe_follows WHERE dataset_owner = ? AND dataset_name = ? AND dataset_branch = ?",
                RecipeIndex::row, dataset.owner(), dataset.name(), branch);
    }

    public List<Follow> followersOfBase(RepoId base) {
        return db.query("SELECT * FROM recipe_follows WHERE base_owner = ? AND base_name = ?", RecipeIndex::row,
                base.owner(), base.name());
    }

    public Optional<Follow> of(RepoId adapter) {
        return db.queryOne("SELECT * FROM recipe_follows WHERE adapter_owner = ? AND adapter_name = ?", RecipeIndex::row,
                adapter.owner(), adapter.name());
    }

    private static Follow row(java.sql.ResultSet r) throws java.sql.SQLException {
        return new Follow(new RepoId(RepoType.MODEL, r.getString("adapter_owner"), r.getString("adapter_name")),
                new RepoId(RepoType.DATASET, r.getString("dataset_owner"), r.getString("dataset_name")),
                r.getString("dataset_branch"), new RepoId(RepoType.MODEL, r.getString("base_owner"), r.getString("base_name")),
                r.getString("recipe_blob"), r.getString("adapter_commit"));
    }
}

package dev.quiver.server.repo;

import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.recipe.RecipeException;
import dev.quiver.server.lfs.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every write must satisfy, whether it comes through the commit API or git push: the model card
 * front matter parses, a {@code quiver.yaml} recipe is valid, and every LFS pointer names an object
 * the blob store holds. Returns problems in words a user can act on, one per line.
 */
public final class ContentRules {
    public static final String README = "README.md";
    public static final String RECIPE = "quiver.yaml";

    private final BlobStore blobs;

    public ContentRules(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Problems with a regular file about to be committed at {@code path}. */
    public List<String> checkFile(String path, byte[] content) {
        List<String> problems = new ArrayList<>();
        String text = path.equals(README) || path.equals(RECIPE) ? new String(content, StandardCharsets.UTF_8) : "";
        if (path.equals(README)) {
            try {
                ModelCard.parse(text);
            } catch (CardException e) {
                problems.add(e.getMessage());
            }
        } else if (path.equals(RECIPE)) {
            try {
                Recipe.parse(text);
            } catch (RecipeException e) {
                e.errors().forEach(err -> problems.add("quiver.yaml: " + err));
            }
        }
        if (content.length < 1024) {
            Optional<LfsPointer> pointer = LfsPointer.parse(content);
            pointer.ifPresent(p -> problems.addAll(checkPointer(path, p)));
        }
        return problems;
    }

    /** Problems with an LFS pointer committed at {@code path}. */
    public List<String> checkPointer(String path, LfsPointer pointer) {
        Optional<Long> size = blobs.size(pointer.oid());
        if (size.isEmpty()) {
            return List.of(path + ": LFS object " + pointer.oid() + " was never uploaded; upload it first (git lfs push, or the LFS batch API)");
        }
        if (size.get() != pointer.size()) {
            return List.of(path + ": LFS pointer says " + pointer.size() + " bytes but object " + pointer.oid()
                    + " has " + size.get());
        }
        return List.of();
    }
}

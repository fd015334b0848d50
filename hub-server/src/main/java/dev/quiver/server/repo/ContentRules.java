package dev.quiver.server.repo;

import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.schema.recipe.Recipe;
import dev.quiver.schema.recipe.RecipeException;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.server.lfs.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every write must satisfy, whether it comes through the commit API or git push: the model card
 * front matter parses, a {@code quiver.yaml} recipe is valid, every {@code .safetensors} file has a
 * valid header that accounts for every byte, and every LFS pointer names an object the blob store
 * holds. Returns problems in words a user can act on, one per line.
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
        Optional<LfsPointer> pointer = content.length < 1024 ? LfsPointer.parse(content) : Optional.empty();
        if (pointer.isPresent()) {
            problems.addAll(checkPointer(path, pointer.get()));
        } else if (path.endsWith(".safetensors")) {
            try {
                SafetensorsReader.validate(new ByteArrayInputStream(content), content.length);
            } catch (SafetensorsException e) {
                problems.add(path + ": not a valid safetensors file: " + e.getMessage());
            }
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
        if (path.endsWith(".safetensors")) {
            return checkSafetensorsHeader(path, pointer.oid());
        }
        return List.of();
    }

    /** Reads only the header of a stored safetensors object; its data is never loaded. */
    private List<String> checkSafetensorsHeader(String path, String oid) {
        Optional<Path> file = blobs.file(oid);
        if (file.isEmpty()) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(file.get(), StandardOpenOption.READ)) {
            SafetensorsReader.readHeader(ch);
            return List.of();
        } catch (SafetensorsException e) {
            return List.of(path + ": not a valid safetensors file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

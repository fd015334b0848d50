package dev.quiver.schema.recipe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Yaml;
import dev.quiver.schema.json.YamlSyntaxError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A training recipe: the {@code quiver.yaml} at the root of an adapter repository. Settings a
 * file leaves out take the defaults of each part ({@link LoraSettings#defaults()} and so on).
 *
 * @param baseModel the model trained on
 * @param dataset the dataset followed
 * @param lora the adapter's shape
 * @param training how the trainer runs
 * @param gate what a result must pass
 * @param output where results go
 */
public record Recipe(BaseModelRef baseModel, DatasetRef dataset, LoraSettings lora, TrainingSettings training, Gate gate,
        Output output) {

    /** Where the JSON Schema for {@code quiver.yaml} is on the classpath. */
    public static final String SCHEMA_RESOURCE = "/dev/quiver/schema/recipe.schema.json";

    public Recipe {
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(output, "output");
    }

    /**
     * Reads a {@code quiver.yaml}.
     *
     * @throws RecipeException listing every problem, each with its path: YAML that does not
     *     parse (with its line), everything the JSON Schema refuses, and the rules that span
     *     settings (a template for the template format, a candidate branch other than the
     *     output branch, {@code owner/name} repository ids, 40-hex revisions, valid branch
     *     names, eval data when dynamic verification is required)
     */
    public static Recipe parse(String yaml) {
        JsonNode root = readYaml(yaml);
        List<String> errors = new ArrayList<>(RecipeSchema.errors(root));
        errors.addAll(RecipeRules.errors(root));
        if (!errors.isEmpty()) {
            // Sorted by path, so the problems of one section stand together.
            errors.sort(null);
            throw new RecipeException(errors);
        }
        return RecipeReader.read(root);
    }

    /** The recipe as {@code quiver.yaml}, every setting spelled out; parses back to an equal recipe. */
    public String toYaml() {
        return RecipeWriter.write(this);
    }

    private static JsonNode readYaml(String yaml) {
        try (JsonParser parser = Yaml.mapper().createParser(yaml)) {
            JsonNode root = Yaml.mapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw new RecipeException(List.of("quiver.yaml: line " + parser.currentLocation().getLineNr()
                        + " starts a second YAML document; a recipe is one mapping"));
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new RecipeException(List.of("quiver.yaml: is empty; a recipe needs at least base_model and dataset"));
            }
            return root;
        } catch (JsonProcessingException e) {
            YamlSyntaxError error = YamlSyntaxError.from(e, 1);
            throw new RecipeException(List.of("quiver.yaml: line " + error.line() + ": " + error.problem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

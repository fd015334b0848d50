package dev.quiver.schema.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Checks a recipe's YAML tree against {@code recipe.schema.json} and words each failure with its path. */
final class RecipeSchema {

    private static final JsonSchema SCHEMA = load();

    private RecipeSchema() {
    }

    static List<String> errors(JsonNode root) {
        return SCHEMA.validate(root).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation))
                .map(RecipeSchema::describe)
                .distinct()
                .toList();
    }

    private static String describe(ValidationMessage message) {
        String path = RecipePath.of(message.getInstanceLocation());
        return switch (message.getType()) {
            case "required" -> RecipePath.child(path, message.getProperty()) + ": is required";
            case "additionalProperties" -> RecipePath.child(path, message.getProperty()) + ": is not a known setting";
            default -> path + ": " + withoutLocation(message);
        };
    }

    /** The library's message starts with the JSON path it is about; ours names the path already. */
    private static String withoutLocation(ValidationMessage message) {
        String text = message.getMessage();
        String prefix = message.getInstanceLocation().toString() + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private static JsonSchema load() {
        try (InputStream in = RecipeSchema.class.getResourceAsStream(Recipe.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(Recipe.SCHEMA_RESOURCE + " is missing from the classpath");
            }
            JsonNode schema = Json.mapper().readTree(in);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().locale(Locale.ENGLISH).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.quiver.schema.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Yaml;
import dev.quiver.schema.json.YamlSyntaxError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A repository's README.md: the YAML front matter (the Hub's {@code cardData}) and the
 * Markdown body after it.
 *
 * <p>Metadata keeps the YAML's key order and is deeply unmodifiable. Its values are what
 * YAML holds: strings, numbers, booleans, lists, maps, and {@code null} for a key written
 * with no value (kept so that rendering does not drop the user's keys). Duplicate keys are
 * accepted, the last one winning, as the Hub's own YAML loader does.
 *
 * @param metadata the front matter, empty when there is none
 * @param body the Markdown after the front matter (the whole file when there is none)
 */
public record ModelCard(Map<String, Object> metadata, String body) {

    public ModelCard {
        metadata = frozenMap(metadata);
        Objects.requireNonNull(body, "body");
    }

    /**
     * Splits a README into front matter and body.
     *
     * @throws CardException if the front matter is not valid YAML or not a mapping; its
     *     {@code line()} is the line of README.md where the YAML goes wrong
     */
    public static ModelCard parse(String readme) {
        return FrontMatter.find(readme)
                .map(front -> new ModelCard(readMetadata(front.yaml()), front.body()))
                .orElseGet(() -> new ModelCard(Map.of(), readme));
    }

    /** A card from metadata and body. */
    public static ModelCard of(Map<String, Object> metadata, String body) {
        return new ModelCard(metadata, body);
    }

    /** The README text: {@code ---}, the metadata as YAML, {@code ---}, the body; just the body if no metadata. */
    public String render() {
        if (metadata.isEmpty()) {
            return body;
        }
        try {
            return "---\n" + Yaml.lenientMapper().writeValueAsString(metadata) + "---\n" + body;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("card metadata cannot be written as YAML", e);
        }
    }

    /** This card with one metadata key set (in place if present, else appended). */
    public ModelCard withMetadata(String key, Object value) {
        Map<String, Object> updated = new LinkedHashMap<>(metadata);
        updated.put(key, value);
        return new ModelCard(updated, body);
    }

    /** A key holding a string or a list of strings, as a list ({@code base_model}, {@code tags}); empty otherwise. */
    public List<String> strings(String key) {
        Object value = metadata.get(key);
        if (value instanceof List<?> list) {
            return list.stream().filter(ModelCard::isScalar).map(String::valueOf).toList();
        }
        return string(key).map(List::of).orElse(List.of());
    }

    /** A key holding a single scalar, as text. */
    public Optional<String> string(String key) {
        Object value = metadata.get(key);
        return isScalar(value) ? Optional.of(String.valueOf(value)) : Optional.empty();
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static Map<String, Object> readMetadata(String yaml) {
        JsonNode root;
        try (JsonParser parser = Yaml.lenientMapper().createParser(yaml)) {
            root = Yaml.lenientMapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw new CardException(parser.currentLocation().getLineNr() - 1 + FrontMatter.FIRST_YAML_LINE,
                        "the front matter holds a second YAML document; use one mapping between the --- lines");
            }
        } catch (JsonProcessingException e) {
            throw yamlError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new CardException(FrontMatter.FIRST_YAML_LINE,
                    "the front matter must be a mapping of keys to values, not " + describe(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Yaml.lenientMapper().convertValue(root, LinkedHashMap.class);
        return map;
    }

    private static CardException yamlError(JsonProcessingException e) {
        YamlSyntaxError error = YamlSyntaxError.from(e, FrontMatter.FIRST_YAML_LINE);
        return new CardException(error.line(), error.problem(), e);
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        return "the single value '" + node.asText() + "'";
    }

    private static Map<String, Object> frozenMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), frozen(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object frozen(Object value) {
        if (value instanceof Map<?, ?> map) {
            return frozenMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(frozen(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}

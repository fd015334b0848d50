package dev.quiver.schema.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads typed fields out of a JSON object, noting a message per wrong type and keeping the keys it did not read. */
final class JsonFields {
    private final ObjectNode node;
    private final List<String> errors = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    JsonFields(ObjectNode node) {
        this.node = node;
    }

    List<String> errors() {
        return errors;
    }

    private Optional<JsonNode> value(String key) {
        read.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    String requiredText(String key, String placeholder) {
        if (value(key).isEmpty()) {
            errors.add(key + " is required");
            return placeholder;
        }
        return text(key).orElse(placeholder);
    }

    Optional<String> text(String key) {
        Optional<JsonNode> value = value(key);
        if (value.isPresent() && !value.get().isTextual()) {
            errors.add(key + " must be a string, not " + value.get());
            return Optional.empty();
        }
        return value.map(JsonNode::asText);
    }

    int integer(String key, int fallback) {
        Optional<JsonNode> value = value(key);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!value.get().isIntegralNumber() || !value.get().canConvertToInt()) {
            errors.add(key + " must be a whole number, not " + value.get());
            return fallback;
        }
        return value.get().intValue();
    }

    double number(String key, double fallback) {
        Optional<JsonNode> value = value(key);
        if (value.isPresent() && !value.get().isNumber()) {
            errors.add(key + " must be a number, not " + value.get());
            return fallback;
        }
        return value.map(JsonNode::doubleValue).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        Optional<JsonNode> value = value(key);
        if (value.isPresent() && !value.get().isBoolean()) {
            errors.add(key + " must be true or false, not " + value.get());
            return fallback;
        }
        return value.map(JsonNode::booleanValue).orElse(fallback);
    }

    /** The value if it is one string; a list is left to {@link #texts}. */
    Optional<String> textOrList(String key) {
        return value(key).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    List<String> texts(String key) {
        Optional<JsonNode> value = value(key);
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        if (value.get().isArray()) {
            value.get().forEach(item -> {
                if (item.isTextual()) {
                    texts.add(item.asText());
                }
            });
        }
        if (!value.get().isArray() || texts.size() != value.get().size()) {
            errors.add(key + " must be a list of strings" + (key.equals("target_modules") ? " or one string" : "")
                    + ", not " + value.get());
        }
        return texts;
    }

    Map<String, Integer> integers(String key) {
        Map<String, Integer> values = new LinkedHashMap<>();
        objectEntries(key, "whole numbers").forEach((name, item) -> {
            if (item.isIntegralNumber() && item.canConvertToInt()) {
                values.put(name, item.intValue());
            } else {
                errors.add(key + "." + name + " must be a whole number, not " + item);
            }
        });
        return values;
    }

    Map<String, Double> numbers(String key) {
        Map<String, Double> values = new LinkedHashMap<>();
        objectEntries(key, "numbers").forEach((name, item) -> {
            if (item.isNumber()) {
                values.put(name, item.doubleValue());
            } else {
                errors.add(key + "." + name + " must be a number, not " + item);
            }
        });
        return values;
    }

    private Map<String, JsonNode> objectEntries(String key, String what) {
        Optional<JsonNode> value = value(key);
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        if (value.isPresent() && !value.get().isObject()) {
            errors.add(key + " must be an object mapping module names to " + what + ", not " + value.get());
        } else {
            value.ifPresent(object -> object.properties().forEach(e -> entries.put(e.getKey(), e.getValue())));
        }
        return entries;
    }

    /** Every key not read, as plain Java values. */
    Map<String, Object> rest() {
        Map<String, Object> rest = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!read.contains(e.getKey())) {
                rest.put(e.getKey(), Json.mapper().convertValue(e.getValue(), Object.class));
            }
        });
        return rest;
    }
}

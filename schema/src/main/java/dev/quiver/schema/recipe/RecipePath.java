package dev.quiver.schema.recipe;

import com.networknt.schema.JsonNodePath;

/** Paths as users write them: {@code dataset.files[0]}, or {@code quiver.yaml} for the whole file. */
final class RecipePath {
    static final String ROOT = "quiver.yaml";

    private RecipePath() {
    }

    static String of(JsonNodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.isEmpty() ? ROOT : path.toString();
    }

    static String child(String parent, String name) {
        return parent.equals(ROOT) ? name : parent + "." + name;
    }
}

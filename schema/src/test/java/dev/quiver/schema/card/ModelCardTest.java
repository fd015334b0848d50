package dev.quiver.schema.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardTest {

    private static final String README = """
            ---
            base_model: acme/tiny-llama
            library_name: peft
            tags:
            - lora
            - base_model:adapter:acme/tiny-llama
            license: apache-2.0
            ---
            # Support adapter

            Trained on acme/support-qa.
            """;

    @Test
    void frontMatterBecomesMetadataInYamlOrderAndTheRestIsTheBody() {
        ModelCard card = ModelCard.parse(README);

        assertThat(card.metadata().keySet()).containsExactly("base_model", "library_name", "tags", "license");
        assertThat(card.body()).isEqualTo("# Support adapter\n\nTrained on acme/support-qa.\n");
        assertThat(card.string("library_name")).contains("peft");
        assertThat(card.strings("tags")).containsExactly("lora", "base_model:adapter:acme/tiny-llama");
    }

    @Test
    void stringsAcceptsASingleStringOrAList() {
        ModelCard card = ModelCard.of(Map.of("a", "x", "b", List.of("y", "z"), "c", Map.of("k", "v")), "");

        assertThat(card.strings("a")).containsExactly("x");
        assertThat(card.strings("b")).containsExactly("y", "z");
        assertThat(card.strings("c")).isEmpty();
        assertThat(card.strings("missing")).isEmpty();
        assertThat(card.string("b")).isEmpty();
    }

    @Test
    void readmeWithoutFrontMatterIsAllBody() {
        ModelCard card = ModelCard.parse("# Title\n---\nnot: yaml\n---\n");

        assertThat(card.metadata()).isEmpty();
        assertThat(card.body()).isEqualTo("# Title\n---\nnot: yaml\n---\n");
    }

    @Test
    void windowsLineEndsAreAccepted() {
        ModelCard card = ModelCard.parse("---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\nBody\r\n");

        assertThat(card.metadata()).isEqualTo(Map.of("license", "mit", "tags", List.of("a")));
        assertThat(card.body()).isEqualTo("Body\r\n");
    }

    @Test
    void emptyOrCommentOnlyFrontMatterIsEmptyMetadata() {
        assertThat(ModelCard.parse("---\n---\nbody").metadata()).isEmpty();
        assertThat(ModelCard.parse("---\n# nothing yet\n---\nbody").metadata()).isEmpty();
        assertThat(ModelCard.parse("---\n---\nbody").body()).isEqualTo("body");
    }

    @Test
    void unclosedFrontMatterIsTreatedAsPlainMarkdownLikeTheHubDoes() {
        ModelCard card = ModelCard.parse("---\nlicense: mit\n");

        assertThat(card.metadata()).isEmpty();
        assertThat(card.body()).isEqualTo("---\nlicense: mit\n");
    }

    @Test
    void renderedCardParsesBackToTheSameCard() {
        ModelCard card = ModelCard.parse(README);

        assertThat(ModelCard.parse(card.render())).isEqualTo(card);
    }

    @Test
    void valuesThatLookLikeOtherTypesSurviveARoundTripAsStrings() {
        Map<String, Object> tricky = new LinkedHashMap<>();
        for (String value : List.of("true", "no", "null", "~", "123", "1.5", "0x1F", "1e3", "", " padded ", "a: b",
                "- item", "#not a comment", "quote\"d", "it's", "multi\nline", "2024-01-01", "@at", "*star", "{x}",
                "[y]", "base_model:adapter:acme/x", "émoji ✓")) {
            tricky.put("k" + tricky.size(), value);
        }
        tricky.put("number", 7);
        tricky.put("float", 0.25);
        tricky.put("flag", false);
        tricky.put("empty", null);
        tricky.put("nested", Map.of("list", List.of(Map.of("type", "loss", "value", 1.25))));
        ModelCard card = ModelCard.of(tricky, "body\n");

        assertThat(ModelCard.parse(card.render())).isEqualTo(card);
    }

    @Test
    void withMetadataReplacesInPlaceOrAppends() {
        ModelCard card = ModelCard.parse(README)
                .withMetadata("library_name", "quiver")
                .withMetadata("base_model_revision", "0123456789abcdef0123456789abcdef01234567");

        assertThat(card.metadata().keySet()).containsExactly("base_model", "library_name", "tags", "license",
                "base_model_revision");
        assertThat(card.string("library_name")).contains("quiver");
    }

    @Test
    void cardWithoutMetadataRendersAsJustTheBody() {
        assertThat(ModelCard.of(Map.of(), "# Hi\n").render()).isEqualTo("# Hi\n");
    }

    @Test
    void metadataCannotBeChangedFromOutside() {
        ModelCard card = ModelCard.parse(README);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> card.metadata().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> tags = (List<Object>) card.metadata().get("tags");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tags.add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}

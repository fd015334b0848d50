package dev.quiver.schema.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Broken front matter is refused with the README.md line where it breaks. */
class ModelCardHostileInputTest {

    private static CardException refusal(String readme) {
        return (CardException) org.assertj.core.api.Assertions.catchThrowable(() -> ModelCard.parse(readme));
    }

    @Test
    void mappingValueInTheWrongPlaceNamesItsReadmeLine() {
        CardException e = refusal("---\nlicense: mit\ntags: a: b\n---\nbody\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageStartingWith("README.md front matter, line 3: ")
                .hasMessageContaining("mapping values are not allowed");
    }

    @Test
    void badIndentationNamesItsReadmeLine() {
        CardException e = refusal("---\nlicense: mit\nlanguage: en\n  extra: x\n---\n");

        assertThat(e.line()).isEqualTo(4);
        assertThat(e).hasMessageStartingWith("README.md front matter, line 4: ");
    }

    @Test
    void unclosedFlowListNamesTheLineWhereItBreaksAndWhereItStarted() {
        CardException e = refusal("---\ntags: [a, b\nlicense: mit\n---\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageContaining("starts on line 2");
    }

    @Test
    void lineNumbersCountWindowsLineEndsOnce() {
        CardException e = refusal("---\r\nlicense: mit\r\nother: x\r\ntags: a: b\r\n---\r\n");

        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void frontMatterThatIsAListIsRefused() {
        CardException e = refusal("---\n- a\n- b\n---\n");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e).hasMessageContaining("mapping").hasMessageContaining("list");
    }

    @Test
    void frontMatterThatIsAPlainStringIsRefused() {
        assertThat(refusal("---\njust some words\n---\n").line()).isEqualTo(2);
    }

    @Test
    void unterminatedQuoteIsRefused() {
        CardException e = refusal("---\nlicense: 'mit\n---\n");

        assertThat(e).hasMessageStartingWith("README.md front matter, line ");
    }

    @Test
    void tabIndentationIsRefused() {
        assertThatThrownBy(() -> ModelCard.parse("---\ntags:\n\t- a\n---\n")).isInstanceOf(CardException.class);
    }

    @Test
    void duplicateKeysAreAcceptedWithTheLastWinningAsOnTheHub() {
        assertThat(ModelCard.parse("---\nlicense: mit\nlicense: apache-2.0\n---\n").string("license"))
                .contains("apache-2.0");
    }

    @Test
    void markerLinesWithExtraCharactersDoNotOpenOrCloseFrontMatter() {
        assertThat(ModelCard.parse("----\na: 1\n----\n").metadata()).isEmpty();
        assertThat(ModelCard.parse("--- \na: 1\n---\n").metadata()).isEmpty();
    }

    @Test
    void secondYamlDocumentInsideTheFrontMatterIsRefused() {
        CardException e = refusal("---\na: 1\n--- x\n---\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e).hasMessageContaining("second YAML document");
    }
}

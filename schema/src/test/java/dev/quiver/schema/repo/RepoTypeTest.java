package dev.quiver.schema.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoTypeTest {
    @Test
    void eachTypeHasTheHubsThreeSpellings() {
        assertThat(RepoType.MODEL.singular()).isEqualTo("model");
        assertThat(RepoType.MODEL.plural()).isEqualTo("models");
        assertThat(RepoType.MODEL.urlPrefix()).isEmpty();
        assertThat(RepoType.DATASET.plural()).isEqualTo("datasets");
        assertThat(RepoType.DATASET.urlPrefix()).isEqualTo("datasets/");
        assertThat(RepoType.SPACE.singular()).isEqualTo("space");
        assertThat(RepoType.SPACE.urlPrefix()).isEqualTo("spaces/");
    }

    @Test
    void parseTakesEitherSpellingInAnyCase() {
        assertThat(RepoType.parse("Dataset")).isEqualTo(RepoType.DATASET);
        assertThat(RepoType.parse("models")).isEqualTo(RepoType.MODEL);
        assertThat(RepoType.parse(" SPACES ")).isEqualTo(RepoType.SPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "widget", "model s", "modelss", "datasets/", "MO\u0000DEL", "mode\u0142", "m\u043Edel"})
    void anythingElseIsRefusedNamingTheAllowedTypes(String text) {
        assertThatThrownBy(() -> RepoType.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model, dataset or space");
    }
}

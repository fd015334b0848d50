package dev.quiver.server.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import org.junit.jupiter.api.Test;

class HostedTypesTest {
    @Test
    void apiPathsNameOnlyModelsAndDatasetsSpeltExactly() {
        assertThat(HostedTypes.fromPlural("models")).contains(RepoType.MODEL);
        assertThat(HostedTypes.fromPlural("datasets")).contains(RepoType.DATASET);
        assertThat(HostedTypes.fromPlural("spaces")).isEmpty();
        assertThat(HostedTypes.fromPlural("Models")).isEmpty();
        assertThat(HostedTypes.fromPlural("model")).isEmpty();
    }

    @Test
    void bodyTypesDefaultToModelAndTakeEitherSpelling() {
        assertThat(HostedTypes.fromSingular("")).isEqualTo(RepoType.MODEL);
        assertThat(HostedTypes.fromSingular("Dataset")).isEqualTo(RepoType.DATASET);
        assertThat(HostedTypes.fromSingular("datasets")).isEqualTo(RepoType.DATASET);
    }

    @Test
    void spacesAndUnknownTypesAreABadRequest() {
        for (String type : new String[] {"space", "spaces", "widget", " model"}) {
            assertThatThrownBy(() -> HostedTypes.fromSingular(type)).as(type).isInstanceOf(QuiverException.class)
                    .hasMessageContaining("use model or dataset")
                    .satisfies(e -> assertThat(((QuiverException) e).reason()).isEqualTo(Reason.BAD_REQUEST));
        }
    }

    @Test
    void aRepoIdIsNeverASpace() {
        assertThat(new RepoId(RepoType.DATASET, "acme", "qa").webPath()).isEqualTo("datasets/acme/qa");
        assertThatThrownBy(() -> new RepoId(RepoType.SPACE, "acme", "demo")).isInstanceOf(IllegalArgumentException.class);
    }
}

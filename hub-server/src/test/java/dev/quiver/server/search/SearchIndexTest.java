package dev.quiver.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on disk, without a hub: what goes in comes back, however large its card. */
class SearchIndexTest {
    @Test
    void aDocumentWithAHugeCardComesBackWhole(@TempDir Path dir) {
        RepoDocument base = BenchCorpus.document(3, 9);
        Map<String, Object> cardData = new LinkedHashMap<>(base.cardData());
        cardData.put("model-index", List.of(Map.of("name", "x".repeat(200_000))));
        RepoDocument huge = new RepoDocument(base.id(), false, base.gated(), base.downloads(), base.likes(),
                base.createdAt(), base.lastModified(), base.sha(), cardData, "Gigantic card. " + "word ".repeat(30_000),
                base.tags(), base.libraryName(), base.pipelineTag(), base.license(), base.languages(), base.datasets(),
                base.baseModels(), base.adapter(), base.verification());
        try (SearchIndex index = SearchIndex.open(dir)) {
            index.put(huge);
            index.refresh();
            SearchPage page = new RepoSearch(index).search(new SearchRequest(Optional.of(huge.id().type()),
                    Optional.of("gigantic"), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Map.of(),
                    SortOrder.RELEVANCE, 10, Optional.empty(), true, true, true), new ReadScope(false,
                    Set.of()));
            assertThat(page.hits()).hasSize(1);
            assertThat(page.hits().getFirst().doc().cardData()).isEqualTo(cardData);
            assertThat(page.hits().getFirst().highlights().getFirst()).contains("<mark>Gigantic</mark>");
        }
    }
}

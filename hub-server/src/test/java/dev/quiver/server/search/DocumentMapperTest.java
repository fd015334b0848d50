package dev.quiver.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DocumentMapperTest {
    @Test
    void datasetCardKeysBecomeTheFilterTermsTheHubDerives() {
        RepoDocument d = new RepoDocument(RepoId.of(RepoType.DATASET, "acme/qa"), false, "false", 0, 0,
                Instant.parse("2024-01-01T00:00:00.123456Z"), Instant.EPOCH, "", Map.of("task_categories",
                List.of("question-answering"), "size_categories", "1K<n<10K", "license", "cc-by-4.0"), "",
                List.of("es", "license:cc-by-4.0"), Optional.empty(), Optional.empty(), Optional.of("cc-by-4.0"),
                List.of("es"), List.of(), List.of(), Optional.empty(), RepoDocument.UNVERIFIED);
        assertThat(DocumentMapper.filterTerms(d)).contains("task_categories:question-answering",
                "size_categories:1k<n<10k", "language:es", "es", "license:cc-by-4.0");
    }

    @Test
    void theStoredCopyRoundTripsWithFullPrecisionDates() {
        RepoDocument d = BenchCorpus.document(7, 1);
        RepoDocument back = DocumentMapper.fromStored(DocumentMapper.toLucene(d).getBinaryValue(IndexSchema.STORED));
        assertThat(back).isEqualTo(new RepoDocument(d.id(), d.isPrivate(), d.gated(), d.downloads(), d.likes(),
                d.createdAt(), d.lastModified(), d.sha(), d.cardData(), "", d.tags(), d.libraryName(), d.pipelineTag(),
                d.license(), d.languages(), d.datasets(), d.baseModels(), d.adapter(), d.verification()));
    }
}

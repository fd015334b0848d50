package dev.quiver.server.search;

import dev.quiver.server.card.AdapterSummary;
import dev.quiver.server.card.RevisionFacts;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the search index knows about one repository: its settings and counters, and the facts of the
 * head of its default branch (card, derived tags, adapter). One document per repository.
 *
 * @param cardData the README front matter as the Hub serves it ({@code cardData})
 * @param cardText the README body, the free text people search
 * @param tags the tags the Hub derives ({@code license:x}, {@code dataset:x}, {@code base_model:adapter:x}, ...)
 * @param baseModels the base models the card or adapter config names, each with the revision it pins
 * @param verification the latest verification verdict; {@value #UNVERIFIED} until one exists
 */
public record RepoDocument(RepoId id, boolean isPrivate, String gated, long downloads, long likes,
        Instant createdAt, Instant lastModified, String sha, Map<String, Object> cardData, String cardText,
        List<String> tags, Optional<String> libraryName, Optional<String> pipelineTag, Optional<String> license,
        List<String> languages, List<String> datasets, List<BaseModel> baseModels,
        Optional<AdapterSummary> adapter, String verification) {
    public static final String UNVERIFIED = "unverified";

    public RepoDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(gated, "gated");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(cardText, "cardText");
        Objects.requireNonNull(verification, "verification");
        cardData = Collections.unmodifiableMap(new LinkedHashMap<>(cardData));
        tags = List.copyOf(tags);
        languages = List.copyOf(languages);
        datasets = List.copyOf(datasets);
        baseModels = List.copyOf(baseModels);
        if (downloads < 0 || likes < 0) {
            throw new IllegalArgumentException("counters cannot be negative");
        }
    }

    /** A base model an adapter (or fine-tune) names, with the revision it names if any. */
    public record BaseModel(String id, Optional<String> revision) {
        public BaseModel {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(revision, "revision");
        }
    }

    /** The document for a repository without a default branch (every branch deleted): settings only. */
    public static RepoDocument withoutContent(RepoInfo info) {
        return new RepoDocument(info.id(), info.isPrivate(), info.gated(), info.downloads(), info.likes(),
                info.createdAt(), info.createdAt(), "", Map.of(), "", List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(), UNVERIFIED);
    }

    /** The document for a repository whose default branch head has {@code facts}. */
    public static RepoDocument of(RepoInfo info, RevisionFacts facts) {
        var card = facts.card();
        List<BaseModel> bases = new ArrayList<>();
        Optional<String> cardRevision = card.string("base_model_revision");
        for (String base : card.strings("base_model")) {
            Optional<String> revision = cardRevision.or(() -> facts.adapter()
                    .filter(a -> a.baseModel().equals(base)).flatMap(AdapterSummary::baseRevision));
            bases.add(new BaseModel(base, revision));
        }
        if (bases.isEmpty()) {
            facts.adapter().filter(a -> !a.baseModel().isEmpty())
                    .ifPresent(a -> bases.add(new BaseModel(a.baseModel(), a.baseRevision())));
        }
        return new RepoDocument(info.id(), info.isPrivate(), info.gated(), info.downloads(), info.likes(),
                info.createdAt(), facts.lastModified(), facts.sha(), card.metadata(), card.body(), facts.tags(),
                facts.libraryName(), facts.pipelineTag(), card.string("license"), card.strings("language"),
                card.strings("datasets"), bases, facts.adapter(), UNVERIFIED);
    }
}

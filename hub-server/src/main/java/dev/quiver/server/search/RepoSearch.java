package dev.quiver.server.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.lucene.facet.DrillDownQuery;
import org.apache.lucene.facet.DrillSideways;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;

/**
 * Answers searches from the index: the HF listing, Quiver's faceted search, and the adapters of a
 * base model. Free of HTTP; every query carries the caller's {@link ReadScope}.
 */
public final class RepoSearch {
    static final int FACET_VALUES = 20;

    /**
     * What an endpoint writes from a page. {@code shape} names everything the written answer depends
     * on besides the page (the endpoint, its output options, values from its path): answers are kept
     * per reader generation and shared by requests with equal search requests, scopes and shapes.
     */
    public record PageWriter(Object shape, Function<SearchPage, byte[]> write) {
    }

    /**
     * An answer as an endpoint wrote it from a page, and the cursor of the page after it; {@code
     * matched} is the query whose matches alone the answer depends on (none when it depends on more:
     * a search that found nothing and offered no respelling), by which a later reader can carry it.
     */
    public record Answer(byte[] body, Optional<String> next, Optional<Query> matched) {
    }

    /**
     * Everything an answer depends on besides the reader. The caller's scope is part of it: two
     * callers who may see different private repositories never share an answer.
     */
    record AnswerKey(SearchRequest request, ReadScope scope, Optional<Query> extra, Object shape) {
    }

    /** Everything facet counts depend on besides the reader: the query (the scope's filter in it) and the choices. */
    record CountKey(Query base, Map<Facet, List<String>> chosen) {
    }

    /** The matches in all, and each facet's most frequent values among them; {@code matched} holds every document counted. */
    record Counts(long total, Map<Facet, List<SearchPage.FacetCount>> facets, Query matched) {
        Counts {
            facets = Map.copyOf(facets);
        }
    }

    private final SearchIndex index;

    public RepoSearch(SearchIndex index) {
        this.index = index;
    }

    /** One page of results, computed now. */
    public SearchPage search(SearchRequest request, ReadScope scope) {
        return index.withSearcher(s -> page(s, request, scope, Optional.empty()));
    }

    /** One page of results as {@code writer} writes it, kept for the next equal request until the index changes. */
    public Answer search(SearchRequest request, ReadScope scope, PageWriter writer) {
        return index.withSearcher(s -> answer(s, request, scope, Optional.empty(), writer));
    }

    /**
     * Adapters whose base model is {@code baseModel} (any relation, as long as the repository holds a
     * PEFT adapter or says {@code library_name: peft}), optionally only those naming {@code revision},
     * as {@code writer} writes them.
     */
    public Answer adaptersOf(String baseModel, Optional<String> revision, SearchRequest request, ReadScope scope,
            PageWriter writer) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(IndexSchema.BASE_MODEL, DocumentMapper.lower(baseModel))), Occur.FILTER)
                .add(new TermQuery(new Term(IndexSchema.FILTER, "peft")), Occur.FILTER);
        revision.ifPresent(r -> b.add(new TermQuery(new Term(IndexSchema.BASE_REVISION,
                DocumentMapper.baseRevisionTerm(baseModel, r))), Occur.FILTER));
        Query extra = b.build();
        return index.withSearcher(s -> answer(s, request, scope, Optional.of(extra), writer));
    }

    /**
     * The answer written from this reader before, or computed now (once, however many ask at the
     * same time) on the index's compute threads, and kept.
     */
    private Answer answer(FacetedSearcher searcher, SearchRequest req, ReadScope scope, Optional<Query> extra,
            PageWriter writer) {
        return searcher.answers().get(new AnswerKey(req, scope, extra, writer.shape()), () -> index.compute(() -> {
            SearchPage page = page(searcher, req, scope, extra);
            Query matching = matching(searcher, req, scope, extra);
            // a search that found nothing and offered nothing may offer something after any change
            Optional<Query> matched = !req.looksForRespelling(page.total()) ? Optional.of(matching)
                    : page.didYouMean().map(corrected -> new BooleanQuery.Builder().add(matching, Occur.SHOULD)
                            .add(DidYouMean.inputs(req.text().get(), corrected), Occur.SHOULD).build());
            return new Answer(writer.write().apply(page), page.next(), matched);
        }), a -> 64L + a.body().length);
    }

    /** A query that every document an answer shows or counts matches. */
    private static Query matching(FacetedSearcher searcher, SearchRequest req, ReadScope scope, Optional<Query> extra) {
        Query base = baseQuery(req, scope, extra);
        return req.facets() ? counted(searcher, base, req.facetFilters()) : drillDown(searcher, base, req);
    }

    /**
     * A query that every document counted for {@code base} with the {@code chosen} facet values
     * matches: each facet is counted over {@code base} narrowed by the other facets' choices, so a
     * document counts somewhere if it misses at most one facet's choice.
     */
    private static Query counted(FacetedSearcher searcher, Query base, Map<Facet, List<String>> chosen) {
        if (chosen.size() < 2) {
            return base;
        }
        BooleanQuery.Builder choices = new BooleanQuery.Builder().setMinimumNumberShouldMatch(chosen.size() - 1);
        chosen.forEach((facet, values) -> {
            String field = searcher.config().getDimConfig(facet.dim()).indexFieldName;
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            values.forEach(v -> any.add(new TermQuery(DrillDownQuery.term(field, facet.dim(), v)), Occur.SHOULD));
            choices.add(any.build(), Occur.SHOULD);
        });
        return new BooleanQuery.Builder().add(base, Occur.FILTER).add(choices.build(), Occur.FILTER).build();
    }

    private SearchPage page(FacetedSearcher searcher, SearchRequest req, ReadScope scope, Optional<Query> extra) {
        try {
            Query base = baseQuery(req, scope, extra);
            DrillDownQuery query = drillDown(searcher, base, req);
            Optional<FieldDoc> cursor = req.cursor().map(c -> Cursor.decode(c, req.sort()));
            int maxDoc = searcher.getIndexReader().maxDoc();
            if (maxDoc == 0) {
                return new SearchPage(List.of(), 0, Optional.empty(), Map.of(), Optional.empty());
            }
            FieldDoc after = cursor.map(c -> Cursor.positioned(c, maxDoc)).orElse(null);
            int wanted = req.limit() + 1; // one more than shown tells whether a next page exists
            boolean scores = req.sort() == SortOrder.RELEVANCE;
            TopDocs top = searcher.searchAfter(after, query, wanted, req.sort().sort(), scores);
            long total = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO ? top.totalHits.value()
                    : Math.max(top.totalHits.value(), top.scoreDocs.length);
            Optional<Counts> counted = req.facets() ? counts(searcher, base, req) : Optional.empty();
            ScoreDoc[] shown = Arrays.copyOf(top.scoreDocs, Math.min(req.limit(), top.scoreDocs.length));
            Optional<String> next = top.scoreDocs.length > req.limit()
                    ? Optional.of(Cursor.encode(req.sort(), (FieldDoc) shown[shown.length - 1]))
                    : Optional.empty();
            List<SearchPage.Hit> hits = hits(searcher, req, shown, top.totalHits);
            total = counted.map(Counts::total).orElse(total);
            Optional<String> didYouMean = req.looksForRespelling(total)
                    ? DidYouMean.suggest(searcher, req.text().get(), corrected -> countWithText(searcher, req, scope,
                            extra, corrected))
                    : Optional.empty();
            return new SearchPage(hits, total, next, counted.map(Counts::facets).orElse(Map.of()), didYouMean);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many documents match {@code base} narrowed to the chosen facet values, and each facet's
     * most frequent values; counted once per reader for each query and scope, since counting visits
     * every match. Nothing when no document has a facet value yet.
     */
    private static Optional<Counts> counts(FacetedSearcher searcher, Query base, SearchRequest req) throws IOException {
        Optional<SortedSetDocValuesReaderState> facetState = searcher.facetState();
        if (facetState.isEmpty()) {
            return Optional.empty();
        }
        // counting visits every match, so it runs without scores; the top hits could skip
        return Optional.of(searcher.counts().get(new CountKey(base, req.facetFilters()), () -> {
            try {
                DrillDownQuery unscored = drillDown(searcher, new ConstantScoreQuery(base), req);
                DrillSideways.DrillSidewaysResult r = new DrillSideways(searcher, searcher.config(), facetState.get())
                        .search(unscored, 1);
                long total = r.drillDownFacetsCollector.getMatchingDocs().stream()
                        .mapToLong(FacetsCollector.MatchingDocs::totalHits).sum();
                return new Counts(total, facetCounts(r.facets), counted(searcher, base, req.facetFilters()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, c -> 256L * c.facets().values().stream().mapToLong(List::size).sum()));
    }

    private List<SearchPage.Hit> hits(FacetedSearcher searcher, SearchRequest req, ScoreDoc[] shown, TotalHits total)
            throws IOException {
        String[] snippets = req.highlights() && req.text().isPresent() && shown.length > 0
                ? Highlights.of(searcher, TextQuery.build(req.text().get()), new TopDocs(total, shown))
                : new String[shown.length];
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<SearchPage.Hit> hits = new ArrayList<>(shown.length);
        for (int i = 0; i < shown.length; i++) {
            RepoDocument doc = DocumentMapper.fromStored(storedCopy(leaves, shown[i].doc));
            float score = shown[i] instanceof FieldDoc fd && fd.fields[0] instanceof Float f ? f : Float.NaN;
            hits.add(new SearchPage.Hit(doc, score, snippets[i] == null ? List.of() : List.of(snippets[i])));
        }
        return hits;
    }

    private static BytesRef storedCopy(List<LeafReaderContext> leaves, int doc) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues values = leaf.reader().getBinaryDocValues(IndexSchema.STORED);
        if (values == null || !values.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("search document " + doc + " has no stored copy");
        }
        return values.binaryValue();
    }

    private long countWithText(FacetedSearcher searcher, SearchRequest req, ReadScope scope, Optional<Query> extra,
            String text) {
        try {
            return searcher.count(drillDown(searcher, baseQuery(req.withText(Optional.of(text)), scope, extra), req));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code base} narrowed to the chosen facet values: any value within a facet, every facet. */
    private static DrillDownQuery drillDown(FacetedSearcher searcher, Query base, SearchRequest req) {
        DrillDownQuery query = new DrillDownQuery(searcher.config(), base);
        req.facetFilters().forEach((facet, values) -> values.forEach(v -> query.add(facet.dim(), v)));
        return query;
    }

    private static Query baseQuery(SearchRequest req, ReadScope scope, Optional<Query> extra) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(req.text().map(TextQuery::build).orElseGet(MatchAllDocsQuery::new), Occur.MUST);
        req.type().ifPresent(t -> b.add(term(IndexSchema.TYPE, t.singular()), Occur.FILTER));
        req.author().ifPresent(a -> b.add(term(IndexSchema.AUTHOR, DocumentMapper.lower(a)), Occur.FILTER));
        req.pipelineTag().ifPresent(p -> b.add(term(IndexSchema.PIPELINE_TAG, DocumentMapper.lower(p)), Occur.FILTER));
        req.gated().ifPresent(gated -> {
            Query open = term(IndexSchema.GATED, "false");
            b.add(gated ? new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER)
                    .add(open, Occur.MUST_NOT).build() : open, Occur.FILTER);
        });
        for (String filter : req.filters()) {
            b.add(term(IndexSchema.FILTER, filter.strip().toLowerCase(Locale.ROOT)), Occur.FILTER);
        }
        scope.filter().ifPresent(f -> b.add(f, Occur.FILTER));
        extra.ifPresent(q -> b.add(q, Occur.FILTER));
        return b.build();
    }

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }

    private static Map<Facet, List<SearchPage.FacetCount>> facetCounts(Facets facets) throws IOException {
        Map<Facet, List<SearchPage.FacetCount>> out = new EnumMap<>(Facet.class);
        for (Facet facet : Facet.values()) {
            FacetResult result;
            try {
                result = facets.getTopChildren(FACET_VALUES, facet.dim());
            } catch (IllegalArgumentException e) {
                result = null; // no document has this facet yet
            }
            List<SearchPage.FacetCount> values = new ArrayList<>();
            if (result != null) {
                Arrays.stream(result.labelValues)
                        .forEach(lv -> values.add(new SearchPage.FacetCount(lv.label, lv.value.longValue())));
            }
            out.put(facet, values);
        }
        return out;
    }
}

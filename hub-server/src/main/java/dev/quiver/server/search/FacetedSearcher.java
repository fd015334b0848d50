package dev.quiver.server.search;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;

/**
 * A searcher with the facet ordinals of its reader, built at most once per refresh rather than per
 * query (building them walks every facet value), and the answers computed from its reader (see
 * {@link GenerationCache}). An index without any facet value has no state.
 */
final class FacetedSearcher extends IndexSearcher {
    private final FacetsConfig config;
    private final GenerationCache<RepoSearch.AnswerKey, RepoSearch.Answer> answers = new GenerationCache<>();
    private final GenerationCache<RepoSearch.CountKey, RepoSearch.Counts> counts = new GenerationCache<>();
    private static final LongAdder OPENED = new LongAdder();
    private volatile Optional<SortedSetDocValuesReaderState> facetState;

    private FacetedSearcher(IndexReader reader, FacetsConfig config) {
        super(reader);
        this.config = config;
    }

    FacetsConfig config() {
        return config;
    }

    /** Answers written from pages of this reader. */
    GenerationCache<RepoSearch.AnswerKey, RepoSearch.Answer> answers() {
        return answers;
    }

    /** Match totals and facet counts computed from this reader. */
    GenerationCache<RepoSearch.CountKey, RepoSearch.Counts> counts() {
        return counts;
    }

    /**
     * The facet ordinals of this searcher's reader, built by the first query that counts facets: a
     * refresh during a bulk rebuild happens several times a second, and most queries count none.
     */
    Optional<SortedSetDocValuesReaderState> facetState() throws IOException {
        Optional<SortedSetDocValuesReaderState> state = facetState;
        if (state == null) {
            synchronized (this) {
                state = facetState;
                if (state == null) {
                    IndexReader reader = getIndexReader();
                    FieldInfo field = FieldInfos.getMergedFieldInfos(reader)
                            .fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
                    state = field == null ? Optional.empty()
                            : Optional.of(new DefaultSortedSetDocValuesReaderState(reader, config));
                    facetState = state;
                }
            }
        }
        return state;
    }

    /** How many searchers, each with empty caches, were opened since start (for benchmarks). */
    static long opened() {
        return OPENED.sum();
    }

    /** Makes a {@link FacetedSearcher} for every reader the manager opens. */
    static final class Factory extends SearcherFactory {
        private final FacetsConfig config;

        Factory(FacetsConfig config) {
            this.config = config;
        }

        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) throws IOException {
            OPENED.increment();
            return new FacetedSearcher(reader, config);
        }
    }
}

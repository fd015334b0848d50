package dev.quiver.server.search;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherFactory;

/**
 * A searcher with the facet ordinals of its reader, built at most once per refresh rather than per
 * query (building them walks every facet value), and the answers computed from its reader (see
 * {@link GenerationCache}), or carried from the searcher before it when the documents changed in
 * between cannot have touched them (see {@link PreviousGeneration}). An index without any facet
 * value has no state.
 */
final class FacetedSearcher extends IndexSearcher {
    private final FacetsConfig config;
    private final GenerationCache<RepoSearch.AnswerKey, RepoSearch.Answer> answers = new GenerationCache<>(
            key -> carried(key, FacetedSearcher::answers, RepoSearch.Answer::matched),
            key -> recent(key, FacetedSearcher::answers));
    // never recent counts: they are part of an answer, which is kept for the whole generation
    private final GenerationCache<RepoSearch.CountKey, RepoSearch.Counts> counts = new GenerationCache<>(
            key -> carried(key, FacetedSearcher::counts, c -> Optional.of(c.matched())), key -> Optional.empty());
    private static final LongAdder OPENED = new LongAdder();
    private final AtomicReference<PreviousGeneration> previous = new AtomicReference<>();
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
     * The facet ordinals of this searcher's reader, built by the first query that counts facets, or
     * when the reader opens if the searcher before it counted any (an index nobody browses by facet
     * never pays for them).
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

    private <K, V> Optional<V> carried(K key, Function<FacetedSearcher, GenerationCache<K, V>> cache,
            Function<V, Optional<Query>> matched) {
        PreviousGeneration before = previous.get();
        return before == null ? Optional.empty() : before.carried(key, cache, matched);
    }

    private <K, V> Optional<V> recent(K key, Function<FacetedSearcher, GenerationCache<K, V>> cache) {
        PreviousGeneration before = previous.get();
        return before == null ? Optional.empty() : before.recent(key, cache);
    }

    /** Stops carrying answers from the searcher before, and lets its reader close. */
    void forgetPrevious() {
        PreviousGeneration before = previous.getAndSet(null);
        if (before != null) {
            before.release();
        }
    }

    /** How many searchers, each with empty caches, were opened since start (for benchmarks). */
    static long opened() {
        return OPENED.sum();
    }

    /**
     * Makes a {@link FacetedSearcher} for every reader the manager opens, linked to the one before
     * with the documents written in between (from {@code changes}, marked by {@link #opening} before
     * each refresh); each new searcher lets the one before it forget its own predecessor, so at most
     * two readers are held for carrying.
     */
    static final class Factory extends SearcherFactory {
        private final FacetsConfig config;
        private final ChangeLog changes;
        private FacetedSearcher last;
        private long lastMark;
        private long nextMark;

        Factory(FacetsConfig config, ChangeLog changes) {
            this.config = config;
            this.changes = changes;
        }

        /** Called before each refresh with {@link ChangeLog#settled()}: the reader it may open holds every write up to it. */
        synchronized void opening(long settled) {
            nextMark = settled;
        }

        @Override
        public synchronized IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader)
                throws IOException {
            OPENED.increment();
            FacetedSearcher next = new FacetedSearcher(reader, config);
            if (last != null && last.facetState != null) {
                // facets are being counted: build the ordinals here (tens of milliseconds at 100k
                // repositories) rather than in the first search that counts, with others waiting on it
                next.facetState();
            }
            if (last != null) {
                changes.since(lastMark, nextMark)
                        .ifPresent(changed -> next.previous.set(PreviousGeneration.of(last, next, changed)));
                last.forgetPrevious();
            }
            last = next;
            lastMark = nextMark;
            return next;
        }

        /** Lets the newest searcher forget the one before, when the index closes. */
        synchronized void close() {
            if (last != null) {
                last.forgetPrevious();
            }
        }
    }
}

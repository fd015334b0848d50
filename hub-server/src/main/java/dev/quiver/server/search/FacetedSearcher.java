package dev.quiver.server.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    /**
     * How many earlier searchers an answer may be carried from (their readers stay open): under
     * steady writes a reader lasts a quarter of a second, less than the time between two requests
     * for many kept answers.
     */
    static final int CARRIED_GENERATIONS = 4;
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

    /**
     * What the nearest earlier searcher kept for {@code key}, up to {@link #CARRIED_GENERATIONS} back,
     * if none of the changes since touched it: {@code matched} names the query whose matches alone
     * the answer depends on (none when it depends on more).
     */
    private <K, V> Optional<V> carried(K key, Function<FacetedSearcher, GenerationCache<K, V>> cache,
            Function<V, Optional<Query>> matched) {
        List<PreviousGeneration> path = new ArrayList<>();
        for (PreviousGeneration link = previous.get(); link != null && path.size() < CARRIED_GENERATIONS;
                link = link.before().previous.get()) {
            path.add(link);
            Optional<V> kept = cache.apply(link.before()).peek(key);
            if (kept.isPresent()) {
                Optional<Query> query = matched.apply(kept.get());
                return query.isPresent() && path.stream().allMatch(step -> step.untouched(query.get()))
                        ? kept : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private <K, V> Optional<V> recent(K key, Function<FacetedSearcher, GenerationCache<K, V>> cache) {
        PreviousGeneration before = previous.get();
        return before == null ? Optional.empty() : before.recent(key, cache);
    }

    /** Stops carrying answers from the searchers before, and lets their readers close. */
    void forgetPrevious() {
        PreviousGeneration before = previous.getAndSet(null);
        if (before != null) {
            before.before().forgetPrevious();
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
     * each refresh). The chain behind the newest searcher is cut after {@link #CARRIED_GENERATIONS}
     * links, so at most that many earlier readers are held for carrying.
     */
    static final class Factory extends SearcherFactory {
        private final FacetsConfig config;
        private final ChangeLog changes;
        private FacetedSearcher last;
        private long lastMark;
        private long nextMark;
        private boolean openedSinceMark;

        Factory(FacetsConfig config, ChangeLog changes) {
            this.config = config;
            this.changes = changes;
        }

        /** Called before each refresh with {@link ChangeLog#settled()}: the reader it may open holds every write up to it. */
        synchronized void opening(long settled) {
            nextMark = settled;
            openedSinceMark = false;
        }

        /**
         * Called after each refresh. One that opened no reader found the current reader holding every
         * write up to the mark as well, so the next reader is compared from there: a mark taken while
         * a write was under way, by the refresh that opened the current reader, would otherwise count
         * that write as a change of the next one too (and recompute answers it touched).
         */
        synchronized void refreshed() {
            if (!openedSinceMark) {
                lastMark = Math.max(lastMark, nextMark);
            }
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
                Optional<Set<String>> changed = changes.since(lastMark, nextMark);
                if (changed.isPresent()) {
                    next.previous.set(PreviousGeneration.of(last, next, changed.get()));
                    forgetBeyond(next);
                } else {
                    last.forgetPrevious(); // too many changes to check: nothing is carried
                }
            }
            last = next;
            lastMark = nextMark;
            openedSinceMark = true;
            return next;
        }

        /** Keeps the chain behind {@code newest} at most {@link #CARRIED_GENERATIONS} long. */
        private static void forgetBeyond(FacetedSearcher newest) {
            FacetedSearcher s = newest;
            for (int depth = 0; depth < CARRIED_GENERATIONS && s != null; depth++) {
                PreviousGeneration link = s.previous.get();
                s = link == null ? null : link.before();
            }
            if (s != null) {
                s.forgetPrevious();
            }
        }

        /** Lets the newest searcher forget the ones before, when the index closes. */
        synchronized void close() {
            if (last != null) {
                last.forgetPrevious();
            }
        }
    }
}

package dev.quiver.server.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The searcher before a refresh, and the documents that changed between it and the searcher after.
 * An answer the earlier searcher kept holds for the later one when no changed document matches its
 * query, in its old version or its new one: then the same documents match, and nothing the answer
 * shows of them changed. Generations link into a short chain, so an answer nobody asked for during
 * one generation can still be carried from the one before it. (Relevance scores also depend on
 * statistics over every document, which such a change moves by a hair; a carried answer keeps the
 * order it was computed with.)
 *
 * <p>Right after the refresh, an answer of the earlier searcher also serves as a {@linkplain
 * #recent recent} one: what a search that waits for the same answer to be computed would have got a
 * moment earlier.
 *
 * <p>Holds a reference on the earlier reader, so that it stays open while answers are checked
 * against it; {@link #release} gives it back. The later reader is held by the generation after,
 * or by the search that asks.
 */
final class PreviousGeneration {
    /** How long after the refresh an earlier answer may stand in for one being computed. */
    static final long RECENT_NANOS = 1_000_000_000L;

    private final FacetedSearcher before;
    private final IndexSearcher after;
    private final Set<String> changed;
    private final long replacedAt = System.nanoTime();
    private volatile Located located;

    private PreviousGeneration(FacetedSearcher before, IndexSearcher after, Set<String> changed) {
        this.before = before;
        this.after = after;
        this.changed = changed;
    }

    /** The generation of {@code before}, followed by {@code after}, with the keys of the documents {@code changed}. */
    static PreviousGeneration of(FacetedSearcher before, IndexSearcher after, Set<String> changed) {
        before.getIndexReader().incRef();
        return new PreviousGeneration(before, after, changed);
    }

    /** The earlier searcher. */
    FacetedSearcher before() {
        return before;
    }

    /**
     * Whether no document changed between the two searchers matches {@code query}; false when the
     * earlier reader was released meanwhile.
     */
    boolean untouched(Query query) {
        IndexReader earlier = before.getIndexReader();
        IndexReader later = after.getIndexReader();
        if (!earlier.tryIncRef()) {
            return false;
        }
        if (!later.tryIncRef()) {
            decRef(earlier);
            return false;
        }
        try {
            Located docs = located;
            if (docs == null) {
                docs = new Located(Changed.in(earlier, changed), Changed.in(later, changed));
                located = docs; // two searches may both look them up: the same answer
            }
            return !docs.before().matchedBy(query) && !docs.after().matchedBy(query);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            decRef(later);
            decRef(earlier);
        }
    }

    /**
     * What {@code cache} of the earlier searcher kept for {@code key}, unchecked, within {@link
     * #RECENT_NANOS} of the refresh: a search may then show the index as it was that long ago.
     */
    <K, V> Optional<V> recent(K key, Function<FacetedSearcher, GenerationCache<K, V>> cache) {
        return System.nanoTime() - replacedAt < RECENT_NANOS ? cache.apply(before).peek(key) : Optional.empty();
    }

    /** Gives back the reference on the earlier reader. */
    void release() {
        decRef(before.getIndexReader());
    }

    private record LiveDoc(LeafReaderContext leaf, int doc) {
    }

    /** The changed documents, old versions in the earlier reader and new ones in the later. */
    private record Located(Changed before, Changed after) {
    }

    /**
     * The changed documents of one reader, with a searcher of their own: without a query cache,
     * which would otherwise learn to cache a whole segment's matches of filters asked about once
     * per refresh for a single document.
     */
    private record Changed(IndexSearcher searcher, List<LiveDoc> docs) {
        static Changed in(IndexReader reader, Set<String> keys) throws IOException {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setQueryCache(null);
            return new Changed(searcher, live(reader, keys));
        }

        boolean matchedBy(Query query) throws IOException {
            return matchesAny(searcher, query, docs);
        }
    }

    /** Where the live documents with these keys are in {@code reader}. */
    private static List<LiveDoc> live(IndexReader reader, Set<String> keys) throws IOException {
        List<LiveDoc> docs = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms terms = leaf.reader().terms(IndexSchema.KEY);
            if (terms == null) {
                continue;
            }
            Bits liveDocs = leaf.reader().getLiveDocs();
            TermsEnum te = terms.iterator();
            PostingsEnum postings = null;
            for (String key : keys) {
                if (te.seekExact(new BytesRef(key))) {
                    postings = te.postings(postings, PostingsEnum.NONE);
                    for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                        if (liveDocs == null || liveDocs.get(d)) {
                            docs.add(new LiveDoc(leaf, d));
                        }
                    }
                }
            }
        }
        return docs;
    }

    private static boolean matchesAny(IndexSearcher searcher, Query query, List<LiveDoc> docs) throws IOException {
        if (docs.isEmpty()) {
            return false;
        }
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (LiveDoc d : docs) {
            ScorerSupplier supplier = weight.scorerSupplier(d.leaf());
            if (supplier == null) {
                continue;
            }
            Scorer scorer = supplier.get(1); // one document is looked at: the cheapest way there
            TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
            DocIdSetIterator it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
            if (it.advance(d.doc()) == d.doc() && (twoPhase == null || twoPhase.matches())) {
                return true;
            }
        }
        return false;
    }

    private static void decRef(IndexReader reader) {
        try {
            reader.decRef();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

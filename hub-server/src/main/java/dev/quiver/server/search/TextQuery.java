package dev.quiver.server.search;

import dev.quiver.server.QuiverException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * Turns what a person typed into a ranked query. Every word must match somewhere (in the name, a
 * name prefix, the tags or the card, English or Spanish stems), except stop words, which only help.
 * An exact id or name outranks everything; then BM25, with the best field per word winning; then a
 * small, saturating lift for popular repositories.
 */
final class TextQuery {
    static final int MAX_LENGTH = 512;
    static final int MAX_WORDS = 32;
    private static final float EXACT_ID_BOOST = 1000f;
    private static final float EXACT_NAME_BOOST = 500f;
    private static final float POPULARITY_WEIGHT = 1.5f;
    private static final float POPULARITY_PIVOT = 100f;
    /** Best field only: a dismax without tie-breaking can skip non-competitive documents (block-max WAND). */
    private static final float TIE_BREAKER = 0f;
    /** Field weights: a word in the name says more than one in the tags, which says more than the card. */
    private static final Map<String, Float> FIELDS = Map.of(
            IndexSchema.NAME_TEXT, 4f,
            IndexSchema.NAME_PREFIX, 2f,
            IndexSchema.TAGS_TEXT, 2f,
            IndexSchema.CARD_EN, 1f,
            IndexSchema.CARD_ES, 1f);

    private static final Analyzer ANALYZER = Analyzers.forQueries();

    private TextQuery() {
    }

    /** The words of {@code text}, checked against the limits (400 beyond them). */
    static List<String> words(String text) {
        if (text.length() > MAX_LENGTH) {
            throw QuiverException.badRequest("search text is longer than " + MAX_LENGTH + " characters");
        }
        List<String> words = List.of(text.strip().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
        if (words.size() > MAX_WORDS) {
            throw QuiverException.badRequest("search text has more than " + MAX_WORDS + " words");
        }
        return words;
    }

    /** The relevance query for {@code text}; empty text matches nothing. */
    static Query build(String text) {
        List<String> words = words(text);
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        boolean anyRequired = false;
        for (String word : words) {
            Query perWord = wordQuery(word);
            if (perWord == null) {
                continue; // nothing left after analysis, e.g. pure punctuation
            }
            boolean optional = Analyzers.isStopWord(word);
            all.add(perWord, optional ? Occur.SHOULD : Occur.MUST);
            anyRequired |= !optional;
        }
        BooleanQuery.Builder matched = new BooleanQuery.Builder();
        String whole = text.strip().toLowerCase(Locale.ROOT);
        matched.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexSchema.ID_EXACT, whole))),
                EXACT_ID_BOOST), Occur.SHOULD);
        matched.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexSchema.NAME_EXACT, whole))),
                EXACT_NAME_BOOST), Occur.SHOULD);
        BooleanQuery wordsQuery = all.build();
        if (!wordsQuery.clauses().isEmpty()) {
            // a query of stop words only ("the") still has to match them
            matched.add(anyRequired ? wordsQuery : requireAny(wordsQuery), Occur.SHOULD);
        }
        matched.setMinimumNumberShouldMatch(1);
        return new BooleanQuery.Builder()
                .add(matched.build(), Occur.MUST)
                .add(FeatureField.newSaturationQuery(IndexSchema.FEATURES, IndexSchema.POPULARITY, POPULARITY_WEIGHT,
                        POPULARITY_PIVOT), Occur.SHOULD)
                .build();
    }

    private static Query requireAny(BooleanQuery optional) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        optional.clauses().forEach(c -> b.add(c.query(), Occur.SHOULD));
        b.setMinimumNumberShouldMatch(1);
        return b.build();
    }

    /** The best of the fields for one word; null when no field keeps a term of it. */
    private static Query wordQuery(String word) {
        QueryBuilder builder = new QueryBuilder(ANALYZER);
        List<Query> perField = new ArrayList<>();
        for (Map.Entry<String, Float> field : FIELDS.entrySet()) {
            Query q = builder.createBooleanQuery(field.getKey(), word, Occur.MUST);
            if (q != null) {
                perField.add(new BoostQuery(q, field.getValue()));
            }
        }
        return perField.isEmpty() ? null : new DisjunctionMaxQuery(perField, TIE_BREAKER);
    }
}

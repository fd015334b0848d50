package dev.quiver.server.search;

import java.io.IOException;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;
import org.apache.lucene.util.automaton.LevenshteinAutomata;

/**
 * Offers a respelling of a search that found nothing, word by word from the words of names, tags and
 * cards. A respelling is offered only if it finds something the caller may see: the words of private
 * repositories are in the dictionary too, and must not leak through suggestions.
 */
final class DidYouMean {
    private DidYouMean() {
    }

    static Optional<String> suggest(FacetedSearcher searcher, String text, ToLongFunction<String> visibleMatches)
            throws IOException {
        DirectSpellChecker checker = new DirectSpellChecker();
        List<String> words = TextQuery.words(text);
        StringBuilder corrected = new StringBuilder();
        boolean changed = false;
        for (String word : words) {
            String lower = folded(word);
            SuggestWord[] suggestions = checker.suggestSimilar(new Term(IndexSchema.SPELL, lower), 1,
                    searcher.getIndexReader(), SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
            String chosen = suggestions.length > 0 ? suggestions[0].string : word;
            changed |= !chosen.equals(word) && !chosen.equals(lower);
            corrected.append(corrected.isEmpty() ? "" : " ").append(chosen);
        }
        String result = corrected.toString();
        return changed && visibleMatches.applyAsLong(result) > 0 ? Optional.of(result) : Optional.empty();
    }

    /**
     * A query that every document whose change could alter the suggestion {@code corrected} for
     * {@code text} matches: those with a word within the spell checker's reach of a searched word
     * (new candidates, other frequencies), and those the respelling finds (its count).
     */
    static Query inputs(String text, String corrected) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String word : TextQuery.words(text)) {
            // every word within reach (constant score: no cap on the words it expands to)
            b.add(new FuzzyQuery(new Term(IndexSchema.SPELL, folded(word)), LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE,
                    0, FuzzyQuery.defaultMaxExpansions, true, MultiTermQuery.CONSTANT_SCORE_REWRITE), Occur.SHOULD);
        }
        b.add(TextQuery.build(corrected), Occur.SHOULD);
        return b.build();
    }

    private static String folded(String word) {
        return Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }
}

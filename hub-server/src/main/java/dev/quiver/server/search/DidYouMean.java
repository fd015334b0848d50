package dev.quiver.server.search;

import java.io.IOException;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.spell.DirectSpellChecker;
import org.apache.lucene.search.spell.SuggestMode;
import org.apache.lucene.search.spell.SuggestWord;

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
            String lower = Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "");
            SuggestWord[] suggestions = checker.suggestSimilar(new Term(IndexSchema.SPELL, lower), 1,
                    searcher.getIndexReader(), SuggestMode.SUGGEST_WHEN_NOT_IN_INDEX);
            String chosen = suggestions.length > 0 ? suggestions[0].string : word;
            changed |= !chosen.equals(word) && !chosen.equals(lower);
            corrected.append(corrected.isEmpty() ? "" : " ").append(chosen);
        }
        String result = corrected.toString();
        return changed && visibleMatches.applyAsLong(result) > 0 ? Optional.of(result) : Optional.empty();
    }
}

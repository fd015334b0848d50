package dev.quiver.server.search;

import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.es.SpanishLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * How text is cut into terms. Every chain lower-cases and folds accents ("técnico" and "tecnico" are
 * one term); card text is indexed twice, stemmed as English and as Spanish; names split at anything
 * that is not a letter or digit ({@code tiny-llama_v2} is {@code tiny llama v2}) and are also indexed
 * as edge n-grams so that a prefix typed in a search box matches.
 */
final class Analyzers {
    private static final int MIN_PREFIX = 2;
    private static final int MAX_PREFIX = 20;

    private Analyzers() {
    }

    /** The writer's analyzer: one chain per text field. */
    static Analyzer forIndexing() {
        return new PerFieldAnalyzerWrapper(folding(), Map.of(
                IndexSchema.NAME_TEXT, names(false),
                IndexSchema.NAME_PREFIX, names(true),
                IndexSchema.CARD_EN, english(),
                IndexSchema.CARD_ES, spanish()));
    }

    /** The query-time analyzer: as for indexing, except that a typed word is not cut into prefixes. */
    static Analyzer forQueries() {
        Analyzer names = names(false);
        return new PerFieldAnalyzerWrapper(folding(), Map.of(
                IndexSchema.NAME_TEXT, names,
                IndexSchema.NAME_PREFIX, names,
                IndexSchema.CARD_EN, english(),
                IndexSchema.CARD_ES, spanish()));
    }

    /** Whether a word is a stop word in English or Spanish (such words are optional in queries). */
    static boolean isStopWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(w) || SpanishAnalyzer.getDefaultStopSet().contains(w);
    }

    private static Analyzer names(boolean prefixes) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
                TokenStream s = new ASCIIFoldingFilter(new LowerCaseFilter(source));
                if (prefixes) {
                    s = new EdgeNGramTokenFilter(s, MIN_PREFIX, MAX_PREFIX, true);
                }
                return new TokenStreamComponents(source, s);
            }
        };
    }

    private static Analyzer folding() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new StandardTokenizer();
                return new TokenStreamComponents(source, new ASCIIFoldingFilter(new LowerCaseFilter(source)));
            }
        };
    }

    private static Analyzer english() {
        CharArraySet stop = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new LowerCaseFilter(new EnglishPossessiveFilter(source));
                s = new PorterStemFilter(new ASCIIFoldingFilter(new StopFilter(s, stop)));
                return new TokenStreamComponents(source, s);
            }
        };
    }

    private static Analyzer spanish() {
        CharArraySet stop = SpanishAnalyzer.getDefaultStopSet();
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer source = new StandardTokenizer();
                TokenStream s = new StopFilter(new LowerCaseFilter(source), stop);
                s = new SpanishLightStemFilter(new ASCIIFoldingFilter(s));
                return new TokenStreamComponents(source, s);
            }
        };
    }
}

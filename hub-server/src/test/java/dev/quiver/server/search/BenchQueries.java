package dev.quiver.server.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The request mix of the search benchmark: what the HF clients and the web UI send, in rough
 * proportion (listing searches, tag filters, author pages, faceted searches with highlights, facet
 * browsing, adapters of a base, dataset searches, misspellings that end in a suggestion).
 */
final class BenchQueries {
    static final String[] KINDS = {"hf search", "hf filters+sort", "hf author", "quiver text+facets",
        "quiver facets only", "adapters of base", "hf datasets", "quiver miss+suggest"};
    private static final String[] TEXT = {"sql", "customer support", "poetry", "llama", "json extraction", "medical",
        "tecnico soporte", "invoice", "qwen translation", "code review", "chat", "legal", "mistral", "gemma lora",
        "email triage", "resúmenes legales"};
    private static final String[] MISSES = {"custmer suport", "trasnlation", "poerty", "jsno extracton"};
    private static final String[] FILTERS = {"filter=peft&filter=license:mit", "filter=language:es",
        "filter=base_model:adapter:meta-llama/Llama-3.1-8B", "filter=peft&filter=language:fr",
        "filter=license:apache-2.0&pipeline_tag=text-generation"};
    private static final String[] SORTS = {"downloads", "likes", "lastModified", "createdAt", "trendingScore"};

    /** One request: its kind (an index into {@link #KINDS}) and path with query. */
    record Query(int kind, String path) {
    }

    Query next(SplittableRandom r) {
        int roll = r.nextInt(100);
        if (roll < 25) {
            return new Query(0, "/api/models?limit=20&search=" + enc(pick(r, TEXT)));
        } else if (roll < 40) {
            return new Query(1, "/api/models?limit=20&" + pick(r, FILTERS) + "&sort=" + pick(r, SORTS));
        } else if (roll < 50) {
            return new Query(2, "/api/models?limit=50&author=" + BenchCorpus.author(r.nextInt(BenchCorpus.AUTHORS)));
        } else if (roll < 70) {
            return new Query(3, "/api/quiver/search?q=" + enc(pick(r, TEXT)));
        } else if (roll < 78) {
            return new Query(4, "/api/quiver/search?library=peft&language=" + pick(r, BenchCorpus.LANGUAGES)
                    + "&sort=" + pick(r, SORTS));
        } else if (roll < 88) {
            return new Query(5, "/api/quiver/models/" + pick(r, BenchCorpus.BASES) + "/adapters?limit=20");
        } else if (roll < 96) {
            return new Query(6, "/api/datasets?limit=20&search=" + enc(pick(r, BenchCorpus.TOPICS)));
        }
        return new Query(7, "/api/quiver/search?q=" + enc(pick(r, MISSES)));
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

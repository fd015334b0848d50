package dev.quiver.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.repo.RepoId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers kept per reader generation: served again while the reader is current, carried to the
 * next reader only when no changed document matches them, and never shared between callers who may
 * see different repositories.
 */
class SearchCacheTest {
    private static final ReadScope ANONYMOUS = new ReadScope(false, Set.of());
    private static final ReadScope BOB = new ReadScope(false, Set.of("bob"));
    private static final Function<Integer, Optional<String>> NOTHING_CARRIED = key -> Optional.empty();

    @Test
    void theSameSearchIsAnsweredFromTheCacheUntilAChangeIsSearchable(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Gemma adapter for invoices."));
            index.refresh();
            RepoSearch.Answer first = search.search(faceted("gemma"), ANONYMOUS, OWNERS);
            assertThat(search.search(faceted("gemma"), ANONYMOUS, OWNERS)).isSameAs(first);
            assertThat(text(first)).isEqualTo("1 [alice] [alice]");

            index.put(repo(2, "carol", false, "Another gemma adapter, for receipts."));
            index.refresh();
            assertThat(text(search.search(faceted("gemma"), ANONYMOUS, OWNERS))).isEqualTo("2 [alice, carol] "
                    + "[alice, carol]");
        }
    }

    @Test
    void anAnswerThatNoChangedDocumentMatchesIsCarriedToTheNextReader(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Okapi adapter for invoices."));
            index.refresh();
            RepoSearch.Answer okapi = search.search(faceted("okapi"), ANONYMOUS, OWNERS);
            RepoSearch.Answer everything = search.search(faceted(""), ANONYMOUS, OWNERS);

            index.put(repo(2, "carol", false, "Quokka adapter for receipts."));
            index.refresh();
            assertThat(search.search(faceted("okapi"), ANONYMOUS, OWNERS)).as("untouched: carried").isSameAs(okapi);
            assertThat(text(search.search(faceted(""), ANONYMOUS, OWNERS))).as("the new one matches: computed")
                    .isNotEqualTo(text(everything)).startsWith("2 [alice, carol]");

            index.put(repo(3, "dave", false, "Another okapi adapter."));
            index.refresh();
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).isEqualTo("2 [alice, dave] [alice, dave]");

            // the old version matched, the new one does not
            index.put(repo(1, "alice", false, "Quokka adapter for invoices."));
            index.refresh();
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).isEqualTo("1 [dave] [dave]");
            index.remove(new RepoId(repo(3, "dave", false, "").id().type(), "dave", "repo-3"));
            index.refresh();
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).isEqualTo("0 [] []");
        }
    }

    @Test
    void anAnswerNobodyAskedForDuringAGenerationIsStillCarriedFromTheOneBefore(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Okapi adapter for invoices."));
            index.refresh();
            RepoSearch.Answer okapi = search.search(faceted("okapi"), ANONYMOUS, OWNERS);
            for (int i = 2; i < 2 + FacetedSearcher.CARRIED_GENERATIONS - 1; i++) {
                index.put(repo(i, "carol", false, "Quokka adapter number " + i + "."));
                index.refresh(); // a generation in which nobody asks
            }
            assertThat(search.search(faceted("okapi"), ANONYMOUS, OWNERS)).isSameAs(okapi);

            for (int i = 10; i < 10 + FacetedSearcher.CARRIED_GENERATIONS; i++) {
                index.put(repo(i, "carol", false, i == 10 ? "Another okapi adapter." : "Quokka adapter " + i + "."));
                index.refresh();
            }
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).as("touched three readers ago")
                    .isEqualTo("2 [alice, carol] [alice, carol]");

            for (int i = 20; i < 20 + FacetedSearcher.CARRIED_GENERATIONS + 1; i++) {
                index.put(repo(i, "carol", false, "Quokka adapter " + i + "."));
                index.refresh();
            }
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).as("too far back: computed")
                    .isEqualTo("2 [alice, carol] [alice, carol]");
        }
    }

    @Test
    void facetCountsOfANarrowedSearchFollowAChangeOutsideTheChosenValues(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Okapi adapter for invoices."));
            index.refresh();
            SearchRequest alicesOkapis = new SearchRequest(Optional.empty(), Optional.of("okapi"), Optional.empty(),
                    List.of(), Optional.empty(), Optional.empty(), Map.of(Facet.AUTHOR, List.of("alice")),
                    SortOrder.RELEVANCE, 20, Optional.empty(), true, false, false);
            assertThat(text(search.search(alicesOkapis, ANONYMOUS, OWNERS))).isEqualTo("1 [alice] [alice]");

            // carol's is not shown (not hers), but the author facet counts it: the other choice a person can make
            index.put(repo(2, "carol", false, "Okapi adapter for receipts."));
            index.refresh();
            assertThat(text(search.search(alicesOkapis, ANONYMOUS, OWNERS))).isEqualTo("1 [alice] [alice, carol]");
        }
    }

    @Test
    void aChangeMissingTwoChosenFacetsLeavesTheAnswerAndOneMissingOneCountsInIt(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, RepoType.MODEL, "alice", "Okapi adapter for invoices."));
            index.refresh();
            SearchRequest alicesModels = new SearchRequest(Optional.empty(), Optional.of("okapi"), Optional.empty(),
                    List.of(), Optional.empty(), Optional.empty(),
                    Map.of(Facet.AUTHOR, List.of("alice"), Facet.TYPE, List.of("model")), SortOrder.RELEVANCE, 20,
                    Optional.empty(), true, false, false);
            RepoSearch.Answer first = search.search(alicesModels, ANONYMOUS, OWNERS);
            assertThat(text(first)).isEqualTo("1 [alice] [alice]");

            index.put(repo(2, RepoType.DATASET, "carol", "Okapi sightings."));
            index.refresh();
            assertThat(search.search(alicesModels, ANONYMOUS, OWNERS)).as("counted under no facet: carried").isSameAs(first);

            index.put(repo(3, RepoType.MODEL, "carol", "Okapi adapter for receipts."));
            index.refresh();
            assertThat(text(search.search(alicesModels, ANONYMOUS, OWNERS))).isEqualTo("1 [alice] [alice, carol]");
        }
    }

    @Test
    void aRepositoryMadePrivateLeavesTheAnswersOfThoseWhoCannotSeeIt(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "bob", false, "Okapi adapter for payroll."));
            index.refresh();
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).isEqualTo("1 [bob] [bob]");
            index.put(repo(1, "bob", true, "Okapi adapter for payroll."));
            index.refresh();
            assertThat(text(search.search(faceted("okapi"), ANONYMOUS, OWNERS))).isEqualTo("0 [] []");
            assertThat(text(search.search(faceted("okapi"), BOB, OWNERS))).isEqualTo("1 [bob] [bob]");
        }
    }

    @Test
    void aSuggestionIsCarriedUnlessAChangedDocumentHasAWordNearTheSearchedOnes(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Quokka adapter for invoices."));
            index.refresh();
            RepoSearch.PageWriter suggestion = new RepoSearch.PageWriter("suggestion",
                    page -> page.didYouMean().orElse("-").getBytes(StandardCharsets.UTF_8));
            assertThat(text(search.search(faceted("okapii"), ANONYMOUS, suggestion))).as("nothing near").isEqualTo("-");
            index.put(repo(2, "carol", false, "Okapi adapter for receipts."));
            index.refresh();
            RepoSearch.Answer okapi = search.search(faceted("okapii"), ANONYMOUS, suggestion);
            assertThat(text(okapi)).as("an answer offering nothing is never carried").isEqualTo("okapi");
            assertThat(search.search(faceted("okapii").withSuggest(false), ANONYMOUS).didYouMean())
                    .as("not asked for (the HF listing writes none): not looked for").isEmpty();

            index.put(repo(3, "dave", false, "Zebra adapter for payroll."));
            index.refresh();
            assertThat(search.search(faceted("okapii"), ANONYMOUS, suggestion)).as("nothing near: carried").isSameAs(okapi);

            index.put(repo(4, "erin", false, "Okapo adapter for payroll."));
            index.refresh();
            RepoSearch.Answer again = search.search(faceted("okapii"), ANONYMOUS, suggestion);
            assertThat(again).as("a word two edits away: another candidate, computed again").isNotSameAs(okapi);
            assertThat(text(again)).isEqualTo("okapi");
        }
    }

    @Test
    void writesUnderWayWhenAReaderOpensCountAsChangesOfTheNextOne() {
        ChangeLog log = new ChangeLog();
        long first = log.begin("model:a/one");
        log.end(first);
        long mark = log.settled(); // reader 1 opens: holds a/one
        long slow = log.begin("model:a/two"); // under way while reader 2 opens
        long quick = log.begin("model:a/three");
        log.end(quick);
        long mark2 = log.settled();
        assertThat(mark2).as("a/two has not finished").isEqualTo(first);
        assertThat(log.since(mark, mark2)).contains(Set.of("model:a/two", "model:a/three"));
        log.end(slow);
        long mark3 = log.settled();
        assertThat(log.since(mark2, mark3)).as("a/three may be in reader 2 or not: named again")
                .contains(Set.of("model:a/two", "model:a/three"));
        assertThat(log.since(mark3, log.settled())).contains(Set.of());
        for (int i = 0; i <= ChangeLog.MAX_CHANGES; i++) {
            log.end(log.begin("model:bulk/" + i));
        }
        assertThat(log.since(mark3, log.settled())).as("too many to check").isEmpty();
    }

    @Test
    void aPrivateRepositoryNeverReachesACallerWhoCannotSeeItThroughCachedAnswers(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            index.put(repo(1, "alice", false, "Gemma adapter for invoices."));
            index.put(repo(2, "bob", true, "Secret gemma adapter for payroll."));
            index.refresh();
            for (int round = 0; round < 2; round++) {
                assertThat(text(search.search(faceted("gemma"), BOB, OWNERS))).isEqualTo("2 [alice, bob] [alice, bob]");
                assertThat(text(search.search(faceted("gemma"), ANONYMOUS, OWNERS))).isEqualTo("1 [alice] [alice]");
                // without text: the facet counts of a landing page
                assertThat(authors(search.search(faceted(""), ANONYMOUS))).containsExactly("alice");
                assertThat(authors(search.search(faceted(""), BOB))).containsExactlyInAnyOrder("alice", "bob");
            }
        }
    }

    @Test
    void countsAreSharedAcrossSortsAndPagesOfOneSearch(@TempDir Path dir) {
        try (SearchIndex index = SearchIndex.open(dir)) {
            RepoSearch search = new RepoSearch(index);
            for (int i = 0; i < 5; i++) {
                index.put(repo(i, "owner" + i, false, "Gemma adapter number " + i + "."));
            }
            index.refresh();
            SearchPage byRelevance = search.search(faceted("gemma"), ANONYMOUS);
            SearchPage byLikes = search.search(faceted("gemma", SortOrder.LIKES), ANONYMOUS);
            assertThat(byLikes).isNotSameAs(byRelevance);
            assertThat(byLikes.facets()).isSameAs(byRelevance.facets());
        }
    }

    @Test
    void aFullCacheKeepsWhatIsAskedOftenAndStaysWithinTwiceItsBounds() {
        GenerationCache<Integer, String> cache = new GenerationCache<>(3, 1000, NOTHING_CARRIED, NOTHING_CARRIED);
        cache.put(0, "often", 10);
        for (int i = 1; i < 50; i++) {
            cache.put(i, "once" + i, 10);
            assertThat(cache.get(0)).contains("often");
            assertThat(cache.size()).isLessThanOrEqualTo(6);
        }
        assertThat(cache.get(1)).isEmpty();
        assertThat(cache.get(49)).contains("once49");
    }

    @Test
    void searchesMissingTheSameAnswerAtOnceComputeItOnce() throws Exception {
        GenerationCache<Integer, String> cache = new GenerationCache<>(10, 1000, NOTHING_CARRIED, NOTHING_CARRIED);
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> slow = () -> {
            computed.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "answer";
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> askers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                askers.add(pool.submit(() -> cache.get(1, slow, v -> 10)));
            }
            Thread.sleep(200); // every asker is waiting, on the one computing or in line behind it
            release.countDown();
            for (Future<String> f : askers) {
                assertThat(f.get()).isEqualTo("answer");
            }
        }
        assertThat(computed).hasValue(1);
    }

    @Test
    void searchesThatWouldWaitForAnotherToComputeTakeTheRecentAnswerOfTheReaderBefore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GenerationCache<Integer, String> cache = new GenerationCache<>(10, 1000, NOTHING_CARRIED,
                key -> Optional.of("before the change"));
        Supplier<String> slow = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "after the change";
        };
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = pool.submit(() -> cache.get(1, slow, v -> 10));
            Thread.sleep(100); // the first search is computing
            for (int i = 0; i < 4; i++) {
                assertThat(cache.get(1, slow, v -> 10)).isEqualTo("before the change");
            }
            release.countDown();
            assertThat(first.get()).isEqualTo("after the change");
        }
        assertThat(cache.get(1, slow, v -> 10)).as("the recent answer is never kept").isEqualTo("after the change");
    }

    @Test
    void aCacheHoldsNoMoreBytesThanItsBoundAndNothingWhenTurnedOff() {
        GenerationCache<Integer, String> cache = new GenerationCache<>(100, 1000, NOTHING_CARRIED, NOTHING_CARRIED);
        cache.put(1, "too big", 1001);
        assertThat(cache.get(1)).isEmpty();
        for (int i = 0; i < 10; i++) {
            cache.put(i, "v" + i, 400);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(4); // two generations of at most 2 x 400 bytes
        GenerationCache<Integer, String> off = new GenerationCache<>(0, 1000, NOTHING_CARRIED, NOTHING_CARRIED);
        assertThat(off.put(1, "v", 1)).isEqualTo("v");
        assertThat(off.get(1)).isEmpty();
    }

    private static SearchRequest faceted(String text) {
        return faceted(text, SortOrder.RELEVANCE);
    }

    private static SearchRequest faceted(String text, SortOrder sort) {
        return new SearchRequest(Optional.empty(), Optional.of(text), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), sort, 20, Optional.empty(), true, true, true);
    }

    /** Writes the total, the owners of the hits and the author facet's values. */
    private static final RepoSearch.PageWriter OWNERS = new RepoSearch.PageWriter("test", page -> (page.total() + " "
            + page.hits().stream().map(h -> h.doc().id().owner()).sorted().toList() + " "
            + authors(page).stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));

    private static String text(RepoSearch.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static List<String> authors(SearchPage page) {
        return page.facets().get(Facet.AUTHOR).stream().map(SearchPage.FacetCount::value).toList();
    }

    private static RepoDocument repo(int n, String owner, boolean isPrivate, String card) {
        return repo(n, BenchCorpus.document(n, 5).id().type(), owner, isPrivate, card);
    }

    private static RepoDocument repo(int n, RepoType type, String owner, String card) {
        return repo(n, type, owner, false, card);
    }

    private static RepoDocument repo(int n, RepoType type, String owner, boolean isPrivate, String card) {
        RepoDocument d = BenchCorpus.document(n, 5);
        return new RepoDocument(new RepoId(type, owner, "repo-" + n), isPrivate, d.gated(), d.downloads(),
                d.likes(), d.createdAt(), d.lastModified(), d.sha(), d.cardData(), card, d.tags(), d.libraryName(),
                d.pipelineTag(), d.license(), d.languages(), d.datasets(), d.baseModels(), d.adapter(),
                d.verification());
    }
}

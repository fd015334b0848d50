package dev.quiver.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.quiver.server.TestHub;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI in Debian's Chromium against a real hub seeded through the API: finding an adapter by
 * search and facet, reading its card and metadata, browsing and downloading its files and history,
 * a dataset's preview, and a hostile card that must run nothing.
 */
class WebUiIT {
    private static TestHub hub;
    private static Browser browser;
    private static UiFixture seeded;
    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    static void start() {
        hub = TestHub.start();
        seeded = UiFixture.seed(hub);
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @BeforeEach
    void open() {
        context = browser.context(false);
        page = context.newPage();
        page.onPageError(pageErrors::add);
        page.onDialog(d -> {
            pageErrors.add("dialog opened: " + d.message());
            d.dismiss();
        });
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void searchFacetAdapterCardFilesDownloadAndHistory() throws Exception {
        page.navigate(hub.url() + "/");
        page.locator("#q").fill("support");
        Locator adapterHit = page.locator(".hit-link", new Page.LocatorOptions().setHasText("acme/support-lora"));
        assertThat(adapterHit).isVisible();
        assertThat(page.locator(".hit-link", new Page.LocatorOptions().setHasText("acme/support-qa"))).isVisible();
        assertThat(page.locator(".snippet mark").first()).containsText(Pattern.compile("support", Pattern.CASE_INSENSITIVE));
        Browser.screenshot(page, "01-search");

        page.locator("a[data-facet=library][data-value=peft]").click();
        assertThat(page).hasURL(Pattern.compile("library=peft"));
        assertThat(page.locator(".hit-link", new Page.LocatorOptions().setHasText("acme/support-qa"))).hasCount(0);
        assertThat(page.locator("a[data-facet=library][data-value=peft]")).hasAttribute("aria-pressed", "true");
        Browser.screenshot(page, "02-search-facet");

        adapterHit.click();
        assertThat(page).hasURL(hub.url() + "/acme/support-lora");
        assertThat(page.locator(".repo-head h1")).containsText("support-lora");
        assertThat(page.locator(".card-body")).containsText("Answers customer support questions politely");
        assertThat(page.locator(".card-body table")).containsText("exact match");
        Locator facts = page.locator(".adapter-facts");
        assertThat(facts).containsText("acme/tiny-llama");
        assertThat(facts.locator("a", new Locator.LocatorOptions().setHasText(seeded.baseSha().substring(0, 7))))
                .isVisible();
        assertThat(facts).containsText("LORA");
        assertThat(dd(facts, "Rank (r)")).hasText("4");
        assertThat(dd(facts, "Alpha")).containsText("8 (scale 2)");
        assertThat(dd(facts, "Target modules")).hasText("q_projv_proj");
        assertThat(dd(facts, "Trainable parameters")).hasText("256 — 25.0% of 1.0k");
        assertThat(dd(facts, "File size")).containsText("vs base");
        assertThat(page.locator(".meta-panel")).containsText("Verification");
        assertThat(page.locator(".meta-panel")).containsText("acme/support-qa");
        Browser.screenshot(page, "03-adapter-card");

        page.getByRole(com.microsoft.playwright.options.AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Files and versions")).click();
        assertThat(page).hasURL(hub.url() + "/acme/support-lora/tree/main");
        Locator weights = page.locator(".file-table tr", new Page.LocatorOptions().setHasText("adapter_model.safetensors"));
        assertThat(weights.locator(".lfs")).isVisible();
        assertThat(page.locator(".refs li")).containsText(new String[] {"branch main"});
        Browser.screenshot(page, "04-files");

        weights.locator("td a").first().click();
        assertThat(page.locator(".tensor-summary")).containsText("4 tensors · 256 parameters · F32");
        assertThat(page.locator(".tensor-table")).containsText(
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        assertThat(page.locator(".tensor-table")).containsText("[4, 16]");
        Browser.screenshot(page, "05-safetensors");

        Download download = page.waitForDownload(() -> page.locator("#download").click());
        assertThat(Files.readAllBytes(download.path())).isEqualTo(seeded.adapterWeights());

        page.locator(".tabs a", new Page.LocatorOptions().setHasText("History")).click();
        Locator commits = page.locator(".commit");
        assertThat(commits).hasCount(3);
        assertThat(commits.first()).containsText("Describe the evaluation");
        Browser.screenshot(page, "06-history");

        commits.first().locator(".commit-title").click();
        assertThat(page.locator(".changes")).containsText("README.md");
        assertThat(page.locator(".change.modified")).hasCount(1);
        Browser.screenshot(page, "07-commit");

        page.goBack();
        page.goBack();
        assertThat(page.locator(".tensor-summary")).isVisible();
        assertThat(pageErrors).isEmpty();
    }

    @Test
    void readmeAndJsonFilesAreShownAsHighlightedText() {
        page.navigate(hub.url() + "/acme/support-lora/blob/main/adapter_config.json");
        Locator code = page.locator("pre.code");
        assertThat(code).containsText("\"lora_alpha\": 8");
        assertThat(code.locator(".tok-key").first()).isVisible();
        assertThat(pageErrors).isEmpty();
    }

    @Test
    void datasetPageShowsRowsCountsAndTheAdaptersTrainedOnIt() {
        page.navigate(hub.url() + "/datasets/acme/support-qa");
        Locator table = page.locator(".dataset-preview .data-table");
        assertThat(table.locator("caption")).containsText("30 rows");
        assertThat(table.locator("thead")).containsText("question");
        assertThat(table.locator("thead")).containsText("answer");
        assertThat(table.locator("tbody tr")).hasCount(20);
        assertThat(table.locator("tbody tr").first()).containsText("How do I reset my password? (1)");
        assertThat(page.locator(".adapters-following")).containsText("acme/support-lora");
        Browser.screenshot(page, "08-dataset");

        page.getByLabel("File").selectOption("data/eval.csv");
        assertThat(table.locator("caption")).containsText("3 rows");
        assertThat(table.locator("tbody")).containsText("a, quoted \"field\"");
        Browser.screenshot(page, "09-dataset-csv");
        assertThat(pageErrors).isEmpty();
    }

    @Test
    void theDatasetsListingKeepsItsTypeWhileTyping() {
        page.navigate(hub.url() + "/datasets");
        assertThat(page.locator(".hit-link")).hasText(new String[] {"acme/support-qa"});
        page.locator("#q").pressSequentially("support");
        assertThat(page).hasURL(Pattern.compile("/search\\?.*type=dataset.*q=support|/search\\?.*q=support.*type=dataset"));
        assertThat(page.locator(".hit-link")).hasText(new String[] {"acme/support-qa"});
    }

    @Test
    void baseModelPageListsItsAdaptersAndTheirPins() {
        page.navigate(hub.url() + "/acme/tiny-llama");
        Locator adapters = page.locator(".adapters-of-base");
        assertThat(adapters).containsText("acme/support-lora");
        assertThat(adapters).containsText("pinned to the current revision");
        Browser.screenshot(page, "10-base-model");
    }

    @Test
    void hostileCardExecutesNothing() {
        page.navigate(hub.url() + "/mallory/evil-card");
        Locator card = page.locator(".card-body");
        assertThat(card).containsText("Totally normal card");
        // raw HTML from the card is shown as text, not parsed
        assertThat(card).containsText("<script>window.__pwned = 'script'</script>");
        assertThat(card).containsText("onerror=");
        page.waitForTimeout(300);
        assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
        assertThat(card.locator("script, iframe, object, embed, svg, style, form")).hasCount(0);
        assertThat(page.locator("[onerror], [onload], [onclick], [onmouseover]")).hasCount(0);
        for (Object href : (List<?>) card.locator("a").evaluateAll("as => as.map(a => a.getAttribute('href'))")) {
            if (href != null) {
                assertThat(href.toString().strip().toLowerCase()).matches("^(https?:|mailto:|/|#).*");
            }
        }
        for (Object src : (List<?>) card.locator("img").evaluateAll("is => is.map(i => i.getAttribute('src'))")) {
            if (src != null) {
                assertThat(src.toString().strip().toLowerCase()).matches("^(https?:|/).*");
            }
        }
        // clicking the would-be javascript: links does nothing either
        card.locator("a", new Locator.LocatorOptions().setHasText("click me")).click();
        card.locator("a", new Locator.LocatorOptions().setHasText("entity")).click();
        page.waitForTimeout(200);
        assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
        // front matter values are text in the metadata panel
        assertThat(page.locator(".meta-panel")).containsText("<img src=x onerror=window.__pwned=4>");
        Browser.screenshot(page, "11-hostile-card");
        assertThat(pageErrors).isEmpty();
    }

    @Test
    void keyboardAloneFindsAndOpensARepositoryAndFocusFollows() {
        page.navigate(hub.url() + "/");
        assertThat(page.locator("#q")).isFocused();
        page.keyboard().type("contract");
        Locator hit = page.locator(".hit-link", new Page.LocatorOptions().setHasText("bob/legal-lora"));
        assertThat(hit).isVisible();
        for (int i = 0; i < 60 && !(Boolean) hit.evaluate("a => a === document.activeElement"); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(hit).isFocused();
        page.keyboard().press("Enter");
        assertThat(page).hasURL(hub.url() + "/bob/legal-lora");
        assertThat(page.locator(".repo-head h1")).isFocused();
        assertThat(page.locator(".adapter-facts")).containsText("not pinned");
    }

    @Test
    void everyFormControlHasALabel() {
        for (String path : List.of("/", "/search?q=support", "/acme/support-lora", "/acme/support-lora/tree/main",
                "/acme/support-lora/blob/main/adapter_model.safetensors", "/datasets/acme/support-qa", "/signin")) {
            page.navigate(hub.url() + path);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            Object unlabeled = page.evaluate("() => [...document.querySelectorAll('input, select, textarea')]"
                    + ".filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
                    + ".map(e => e.outerHTML)");
            assertThat((List<?>) unlabeled).as(path).isEmpty();
        }
    }

    @Test
    void onAPhoneNothingScrollsSideways() {
        BrowserContext phone = browser.context(true);
        try {
            Page p = phone.newPage();
            for (String path : List.of("/search?q=support", "/acme/support-lora", "/acme/support-lora/tree/main",
                    "/datasets/acme/support-qa")) {
                p.navigate(hub.url() + path);
                p.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
                // a phone widens its layout viewport to fit overflowing content: compare with the screen
                Object overflow = p.evaluate("() => document.documentElement.scrollWidth - screen.width");
                assertThat(((Number) overflow).intValue()).as(path).isLessThanOrEqualTo(1);
                Browser.screenshot(p, "phone" + path.replaceAll("[^a-z0-9]+", "-"));
            }
        } finally {
            phone.close();
        }
    }

    @Test
    void tokenSignInShowsTheAccountAndCreatesATokenShownOnce() {
        page.navigate(hub.url() + "/signin");
        page.getByLabel("Access token").fill("hf_not_a_real_token_at_all_000000");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in with token")).click();
        assertThat(page.locator(".form-status")).containsText("not accepted");
        page.getByLabel("Access token").fill(hub.token());
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in with token")).click();
        assertThat(page.locator(".account .me")).hasText("admin");
        assertThat(page.evaluate("() => sessionStorage.getItem('quiver.token')")).isEqualTo(hub.token());

        page.navigate(hub.url() + "/settings/tokens");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("ci-reader");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Create token")).click();
        assertThat(page.locator(".secret")).containsText("hf_");
        assertThat(page.locator("table")).containsText("ci-reader");
        Browser.screenshot(page, "12-tokens");

        page.navigate(hub.url() + "/acme/support-lora/settings");
        assertThat(page.getByLabel("Who can see this repository")).isVisible();
        assertThat(pageErrors).isEmpty();
    }

    /**
     * Page weight and time to first result of the search page, from a cold browser profile: what the
     * browser transferred for scripts and styles (compressed), and when the first results were drawn.
     * The figures go to {@code <build dir>/ui-screenshots/page-weight.txt} for docs/benchmarks.md.
     */
    @Test
    void searchPageIsLightAndShowsResultsFast() throws Exception {
        List<com.microsoft.playwright.Request> finished = new ArrayList<>();
        page.onRequestFinished(finished::add);
        long start = System.nanoTime();
        page.navigate(hub.url() + "/search?q=support");
        assertThat(page.locator(".hit").first()).isVisible();
        long wallToFirstHitMs = (System.nanoTime() - start) / 1_000_000;
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        long js = 0;
        long css = 0;
        long all = 0;
        for (com.microsoft.playwright.Request r : finished) {
            long size = r.sizes().responseBodySize + r.sizes().responseHeadersSize;
            all += size;
            if (r.url().endsWith(".js")) {
                js += r.sizes().responseBodySize;
            } else if (r.url().endsWith(".css")) {
                css += r.sizes().responseBodySize;
            }
        }
        double firstResults = ((Number) page.evaluate(
                "() => performance.getEntriesByName('quiver:first-results')[0].startTime")).doubleValue();

        page.locator("#q").fill("");
        long typed = System.nanoTime();
        page.locator("#q").pressSequentially("legal");
        assertThat(page.locator(".hit-link", new Page.LocatorOptions().setHasText("bob/legal-lora"))).isVisible();
        long instantMs = (System.nanoTime() - typed) / 1_000_000;

        String report = "search page JS transferred (compressed): " + js + " B\n"
                + "search page CSS transferred (compressed): " + css + " B\n"
                + "search page all responses incl. headers, API and favicon: " + all + " B in " + finished.size()
                + " requests\n"
                + "first results drawn at (ms after navigation start, performance mark): " + Math.round(firstResults) + "\n"
                + "navigate -> first hit visible (ms, wall clock from the test): " + wallToFirstHitMs + "\n"
                + "type 'legal' (5 keys) -> matching hit visible (ms, includes the 120 ms debounce): " + instantMs + "\n";
        Files.writeString(Browser.screenshotDir().resolve("page-weight.txt"), report);
        System.out.print(report);
        assertThat(js + css).isPositive().isLessThanOrEqualTo(150_000);
    }

    private static Locator dd(Locator dl, String term) {
        return dl.locator("dt:text-is('" + term + "') + dd");
    }
}

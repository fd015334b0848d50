package dev.quiver.server.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Time to first result of the web UI's search page against a running hub, in Debian's Chromium: each
 * sample is a fresh browser profile (nothing cached) opening {@code /search?q=...}; the page sets a
 * {@code quiver:first-results} performance mark when it has drawn its first results.
 */
public final class SearchPageTiming {
    /** One page load: the page's own mark and the wall clock from navigation to the first hit being visible. */
    public record Sample(String query, double firstResultsMs, long wallMs) {
    }

    private SearchPageTiming() {
    }

    /** True when the Chromium the browser tests use is installed. */
    public static boolean available() {
        return Files.isExecutable(Path.of(Browser.CHROMIUM));
    }

    public static Sample[] measure(String hubUrl, String... queries) {
        Sample[] samples = new Sample[queries.length];
        try (Browser browser = new Browser()) {
            for (int i = 0; i < queries.length; i++) {
                try (BrowserContext context = browser.context(false)) {
                    Page page = context.newPage();
                    long start = System.nanoTime();
                    page.navigate(hubUrl + "/search?q=" + java.net.URLEncoder.encode(queries[i],
                            java.nio.charset.StandardCharsets.UTF_8));
                    page.locator(".hit").first().waitFor();
                    long wallMs = (System.nanoTime() - start) / 1_000_000;
                    double mark = ((Number) page.evaluate(
                            "() => performance.getEntriesByName('quiver:first-results')[0].startTime")).doubleValue();
                    samples[i] = new Sample(queries[i], mark, wallMs);
                }
            }
        }
        return samples;
    }
}

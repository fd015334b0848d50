package dev.quiver.server.ui;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless, with nothing downloaded: the browser is
 * {@code /usr/bin/chromium} (or {@code QUIVER_CHROMIUM}) and Chromium's own network chatter is off,
 * since this machine has no outside network. Screenshots go beside the test reports, in
 * {@code <build dir>/ui-screenshots/}.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getenv().getOrDefault("QUIVER_CHROMIUM", "/usr/bin/chromium");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    Browser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(CHROMIUM))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** A fresh browser profile (no cookies, no storage) with a desktop or phone-sized window. */
    BrowserContext context(boolean phone) {
        com.microsoft.playwright.Browser.NewContextOptions o = new com.microsoft.playwright.Browser.NewContextOptions()
                .setAcceptDownloads(true);
        if (phone) {
            o.setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
        } else {
            o.setViewportSize(1280, 900);
        }
        return browser.newContext(o);
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshotDir().resolve(name + ".png")).setFullPage(true));
    }

    static Path screenshotDir() {
        try {
            Path testClasses = Path.of(Browser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = testClasses.getParent().resolve("ui-screenshots");
            Files.createDirectories(dir);
            return dir;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

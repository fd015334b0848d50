package dev.quiver.server.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Card rendering against hostile Markdown: nothing that could run script survives. */
class CardHtmlTest {
    private static final CardHtml.Links LINKS = new CardHtml.Links("/acme/x/blob/main/", "/acme/x/resolve/main/");
    private static final Pattern HREF_OR_SRC = Pattern.compile("(href|src)=\"([^\"]*)\"");

    private static String render(String md) {
        return CardHtml.render(md, LINKS);
    }

    @Test
    void markdownBecomesHtmlWithTables() {
        String html = render("# Title\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assertThat(html).contains("<h1>Title</h1>", "<em>text</em>", "<code>code</code>", "<table>", "<td>1</td>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)></svg>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<details open ontoggle=alert(1)>",
        "text <b onmouseover=alert(1)>inline</b> html",
        "<style>body{display:none}</style>",
        "<!-- <script>alert(1)</script> -->",
        "<object data=x></object><embed src=x>",
        "<form action=/api/repos/delete method=post><button>go</button></form>",
    })
    void rawHtmlIsShownAsTextNeverAsMarkup(String md) {
        String html = render(md);
        assertThat(html.toLowerCase(Locale.ROOT)).doesNotContainPattern(
                "<(script|img|svg|iframe|a|details|b|style|object|embed|form|button|!--)[\\s>]");
        assertThat(html).contains("&lt;");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "[x](<java\nscript:alert(1)>)",
        "[x](< javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](file:///etc/passwd)",
        "[x](%6Aavascript:alert(1))",
        "[x]: javascript:alert(1)\n\n[x]",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x](mailto:a@b.c)",
        "[x](\u0001javascript:alert(1))",
    })
    void dangerousUrlsAreRemoved(String md) {
        String html = render(md);
        Matcher m = HREF_OR_SRC.matcher(html);
        while (m.find()) {
            String url = m.group(2).toLowerCase(Locale.ROOT);
            assertThat(url).as(html).matches("^(https?:|mailto:|/|#).*");
            assertThat(url).as(html).doesNotContain("javascript", "vbscript", "data:");
        }
    }

    @Test
    void safeLinksAndImagesAreKeptAndRelativeOnesPointIntoTheRepository() {
        String html = render("[site](https://example.com/a?b=1) [mail](mailto:a@example.com) [anchor](#usage) "
                + "[doc](docs/usage.md) [abs](/datasets/acme/d)\n\n![plot](images/loss.png) ![remote](https://example.com/x.png)");
        assertThat(html).contains("rel=\"nofollow noopener noreferrer\" href=\"https://example.com/a?b=1\"",
                "href=\"mailto:a@example.com\"", "href=\"#usage\"", "href=\"/acme/x/blob/main/docs/usage.md\"",
                "href=\"/datasets/acme/d\"", "src=\"/acme/x/resolve/main/images/loss.png\"",
                "src=\"https://example.com/x.png\"", "loading=\"lazy\"", "referrerpolicy=\"no-referrer\"");
    }

    @Test
    void attributeQuotesInUrlsCannotBreakOut() {
        String html = render("![a](x\"onerror=\"alert(1)) [b](https://e.com/\"onmouseover=\"alert(1))");
        assertThat(html).doesNotContain("\"onerror", "\"onmouseover");
    }

    @Test
    void frontMatterIsNotPartOfTheBodyEvenWhenItDoesNotParse() {
        assertThat(CardHtml.renderReadme("---\nlicense: mit\n---\n# Body\n", LINKS)).isEqualTo("<h1>Body</h1>\n");
        assertThat(CardHtml.renderReadme("---\nlicense: [unclosed\n---\n# Body\n", LINKS)).isEqualTo("<h1>Body</h1>\n");
    }

    @Test
    void veryLongAndDeeplyNestedInputRendersQuickly() {
        String nested = ">".repeat(50_000) + " deep\n" + "[".repeat(50_000) + "x" + "](y)".repeat(10) + "\n"
                + "*".repeat(100_000);
        long start = System.nanoTime();
        String html = render(nested);
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        assertThat(html).contains("deep").doesNotContain("<script");
        assertThat(render("a".repeat(CardHtml.MAX_MARKDOWN_CHARS + 10_000)).length())
                .isLessThan(CardHtml.MAX_MARKDOWN_CHARS + 100);
    }

    @Test
    void schemeDetectionSeesThroughWhitespaceAndCase() {
        assertThat(CardHtml.schemeOf(" JavaScript:x")).isEqualTo("javascript");
        assertThat(CardHtml.schemeOf("java\tscript:x")).isEqualTo("javascript");
        assertThat(CardHtml.schemeOf("docs/a:b")).isEmpty();
        assertThat(CardHtml.schemeOf("%6Aavascript:x")).isEqualTo("invalid");
        assertThat(CardHtml.schemeOf("#x")).isEmpty();
    }
}

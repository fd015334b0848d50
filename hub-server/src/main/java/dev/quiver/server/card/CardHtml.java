package dev.quiver.server.card;

import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * A model card's Markdown body as HTML that is safe to put in a page: raw HTML in the card is shown
 * as text (never parsed by the browser), and every link and image URL is either dropped or one of
 * a few harmless kinds. Nothing a card author writes can run script, load a frame or submit a form.
 *
 * <p>Kept links: {@code http(s)}, {@code mailto}, in-page anchors and site paths; relative paths point
 * into the repository's file viewer. Kept images: {@code http(s)} and relative paths, which point at
 * the repository's raw files. Every other scheme ({@code javascript:}, {@code data:}, {@code vbscript:},
 * {@code file:}, obfuscated with case, entities, control characters or whitespace) is removed.
 */
public final class CardHtml {
    /** Longest card body rendered; Hub cards are kilobytes, this bounds the work on hostile input. */
    public static final int MAX_MARKDOWN_CHARS = 512 * 1024;

    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\r?\\n.*?\\r?\\n---[ \\t]*(\\r?\\n|\\z)",
            Pattern.DOTALL);
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*):");
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();

    /**
     * Where a card's relative URLs lead.
     *
     * @param filesBase the file viewer of the card's revision, ending in {@code /}
     * @param rawBase the raw file URL prefix of the card's revision, ending in {@code /}
     */
    public record Links(String filesBase, String rawBase) {
        public Links {
            if (!filesBase.endsWith("/") || !rawBase.endsWith("/")) {
                throw new IllegalArgumentException("link bases must end in /");
            }
        }
    }

    private CardHtml() {
    }

    /** The README's body (front matter removed, even when it does not parse) rendered as safe HTML. */
    public static String renderReadme(String readme, Links links) {
        String body;
        try {
            body = ModelCard.parse(readme).body();
        } catch (CardException e) {
            body = FRONT_MATTER.matcher(readme).replaceFirst("");
        }
        return render(body, links);
    }

    /** Markdown rendered as safe HTML. */
    public static String render(String markdown, Links links) {
        String text = markdown.length() > MAX_MARKDOWN_CHARS ? markdown.substring(0, MAX_MARKDOWN_CHARS) : markdown;
        HtmlRenderer renderer = HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .escapeHtml(true)
                .sanitizeUrls(true)
                .urlSanitizer(new Sanitizer(links))
                .percentEncodeUrls(true)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (node instanceof Link) {
                        tidyLink(attributes);
                    } else if (node instanceof Image) {
                        tidyImage(attributes);
                    }
                })
                .build();
        try {
            return renderer.render(PARSER.parse(text));
        } catch (StackOverflowError e) {
            // commonmark recurses once per nesting level; thousands of nested quotes or brackets exhaust the
            // stack. Such a card is not meant to be read as Markdown: show it as plain text.
            return "<pre><code>" + escape(text) + "</code></pre>\n";
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void tidyLink(Map<String, String> attributes) {
        String href = attributes.getOrDefault("href", "");
        if (href.isEmpty()) {
            attributes.remove("href");
        } else if (!href.startsWith("/") && !href.startsWith("#")) {
            attributes.put("rel", "nofollow noopener noreferrer");
        }
    }

    private static void tidyImage(Map<String, String> attributes) {
        if (attributes.getOrDefault("src", "").isEmpty()) {
            attributes.remove("src");
        }
        attributes.put("loading", "lazy");
        attributes.put("referrerpolicy", "no-referrer");
    }

    /** What a URL is once browsers' leniency is undone: scheme, or none for a relative URL. */
    static String schemeOf(String url) {
        StringBuilder plain = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            // browsers drop tabs and newlines anywhere in a URL and trim controls and spaces around it
            if (c > ' ' && c != 0x7f) {
                plain.append(c);
            }
        }
        String s = plain.toString().toLowerCase(Locale.ROOT);
        var m = SCHEME.matcher(s);
        if (m.find()) {
            return m.group(1);
        }
        // a colon before any '/', '?' or '#' that did not read as a scheme is something odd: refuse it
        int colon = s.indexOf(':');
        int stop = firstOf(s, "/?#");
        return colon >= 0 && (stop < 0 || colon < stop) ? "invalid" : "";
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private record Sanitizer(Links links) implements UrlSanitizer {
        @Override
        public String sanitizeLinkUrl(String url) {
            String u = url.strip();
            return switch (schemeOf(u)) {
                case "http", "https", "mailto" -> u;
                case "" -> u.startsWith("#") || u.startsWith("/") ? u : u.isEmpty() ? "" : links.filesBase() + u;
                default -> "";
            };
        }

        @Override
        public String sanitizeImageUrl(String url) {
            String u = url.strip();
            return switch (schemeOf(u)) {
                case "http", "https" -> u;
                case "" -> u.startsWith("/") || u.isEmpty() ? u : links.rawBase() + u;
                default -> "";
            };
        }
    }
}

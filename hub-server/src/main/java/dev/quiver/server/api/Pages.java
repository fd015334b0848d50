package dev.quiver.server.api;

import dev.quiver.server.QuiverException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Pagination the way the HF clients follow it: {@code Link: <ABSOLUTE_URL>; rel="next"}, where the
 * URL is this request's own, with every query parameter kept and the cursor replaced (clients send
 * nothing else with the next request). Cursors are opaque base64url strings.
 */
final class Pages {
    private Pages() {
    }

    /** {@code limit} from the query, defaulting to and capped at {@code max}; 400 when it is not a positive number. */
    static int limit(Call call, int max) {
        String raw = call.query("limit").orElse(Integer.toString(max));
        try {
            int n = Integer.parseInt(raw.strip());
            if (n < 1) {
                throw QuiverException.badRequest("limit must be at least 1, not " + n);
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw QuiverException.badRequest("limit must be a number, not '" + raw + "'");
        }
    }

    static String encodeCursor(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw QuiverException.badRequest("invalid cursor: use the Link header of the previous page as it is");
        }
    }

    /** Sets {@code Link} to this request's URL with {@code param} set to {@code value}. */
    static void linkNext(Call call, String param, String value) {
        List<String> pairs = new ArrayList<>();
        for (String name : call.request().query().names()) {
            if (name.equals(param)) {
                continue;
            }
            for (String v : call.request().query().all(name)) {
                pairs.add(enc(name) + "=" + enc(v));
            }
        }
        pairs.add(enc(param) + "=" + enc(value));
        String url = call.baseUrl() + call.request().path().rawPath() + "?" + String.join("&", pairs);
        call.header("Link", "<" + url + ">; rel=\"next\"");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

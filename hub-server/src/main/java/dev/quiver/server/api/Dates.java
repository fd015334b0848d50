package dev.quiver.server.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Dates the way HF clients parse them: ISO-8601 UTC with milliseconds and a {@code Z}. */
public final class Dates {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Dates() {
    }

    public static String iso(Instant instant) {
        return ISO.format(instant);
    }
}

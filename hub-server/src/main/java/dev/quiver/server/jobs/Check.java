package dev.quiver.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** One verdict about an adapter commit: {@code static} (hub, from headers) or {@code dynamic} (runner). */
public record Check(String name, Status status, String summary, JsonNode details) {
    /** Whether the check passed. */
    public enum Status {
        PASS, FAIL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String s) {
            return Status.valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public boolean passed() {
        return status == Status.PASS;
    }
}

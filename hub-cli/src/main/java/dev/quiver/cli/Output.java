package dev.quiver.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.quiver.schema.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/** How commands print: JSON for scripts ({@code --json}), sizes and dates for people. */
final class Output {
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ObjectMapper JSON = Json.mapper().copy()
            .registerModule(new SimpleModule("optional").addSerializer((Class) Optional.class, new OptionalSerializer()))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    /** Writes a value (records, lists, maps, Jackson nodes) as indented JSON. Optional values become null. */
    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** 1023 B, 1.0 KiB, 12.3 MiB, 4.0 GiB. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** The date part and minutes of an ISO time: {@code 2024-02-19T11:06:12.000Z} becomes {@code 2024-02-19 11:06}. */
    static String date(String iso) {
        if (iso.length() >= 16 && iso.charAt(10) == 'T') {
            return iso.substring(0, 10) + " " + iso.substring(11, 16);
        }
        return iso;
    }

    static String shortId(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }

    private static final class OptionalSerializer extends JsonSerializer<Optional<?>> {
        @Override
        public void serialize(Optional<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }
}

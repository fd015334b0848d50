package dev.quiver.schema.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper every Quiver module shares.
 *
 * <p>It refuses duplicate object keys (a second value for a key is how one reader and
 * another come to disagree about a document) and trailing content after the document, and
 * it ignores unknown properties so that newer clients and files keep working with older
 * records. Do not reconfigure the returned mapper: it is shared; copy it instead.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The shared mapper: strict duplicate detection, no failure on unknown properties. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}

package dev.quiver.schema.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one YAML mapper Quiver's formats share (model card front matter, {@code quiver.yaml}).
 *
 * <p>Reading refuses duplicate keys (see {@link #lenientMapper()} for formats that must
 * accept them). Writing produces plain block YAML without a {@code ---} marker and quotes a
 * string only when YAML would otherwise read it as something else ({@code "true"},
 * {@code "123"}, {@code "a: b"}), so written values read back as the same values. Shared:
 * do not reconfigure it.
 */
public final class Yaml {

    private static final ObjectMapper MAPPER = builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper LENIENT_MAPPER = builder().build();

    private Yaml() {
    }

    /** The shared YAML mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The same, except that a repeated key is accepted and the last value wins: for formats
     * such as model cards whose other readers (PyYAML on the Hub) accept repeats.
     */
    public static ObjectMapper lenientMapper() {
        return LENIENT_MAPPER;
    }

    private static YAMLMapper.Builder builder() {
        YAMLFactory factory = YAMLFactory.builder().stringQuotingChecker(new UntypedStringQuoting()).build();
        return YAMLMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
    }
}

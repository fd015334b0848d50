package dev.quiver.schema.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the N header bytes into a {@link SafetensorsHeader}, token by token.
 *
 * <p>Streaming rather than building a JSON tree keeps memory close to the size of the
 * result even for a header of the maximum size, and lets every value be type-checked
 * where it is read: integers must be written as non-negative integers within 63 bits
 * (a float such as {@code 1.0} or {@code 1e3} is refused, because readers that accept
 * floats have been tricked by saturating doubles).
 */
final class HeaderParser {

    private HeaderParser() {
    }

    static SafetensorsHeader parse(byte[] header) {
        requireStrictUtf8(header);
        if (header.length == 0 || header[0] != '{') {
            throw new SafetensorsException(Problem.INVALID_HEADER,
                    "the header must be a JSON object starting with '{' at byte 8 of the file");
        }
        try (JsonParser parser = Json.mapper().getFactory().createParser(header)) {
            // Duplicates are detected here, where they can be reported as DUPLICATE_KEY.
            parser.disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            return readHeader(parser, header.length);
        } catch (JsonProcessingException e) {
            throw invalid("the header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SafetensorsException(Problem.IO, "could not read the header: " + e.getMessage(), e);
        }
    }

    private static SafetensorsHeader readHeader(JsonParser parser, long headerSize) throws IOException {
        expect(parser.nextToken() == JsonToken.START_OBJECT, "the header must be a JSON object");
        Set<String> keys = new HashSet<>();
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = wellFormed(parser.currentName());
            if (!keys.add(key)) {
                throw new SafetensorsException(Problem.DUPLICATE_KEY, "the header names '" + key + "' twice");
            }
            parser.nextToken();
            if (key.equals(SafetensorsHeader.METADATA_KEY)) {
                metadata = readMetadata(parser);
            } else {
                tensors.add(readTensor(parser, key));
            }
        }
        expect(parser.nextToken() == null, "the header has content after its JSON object");
        return new SafetensorsHeader(headerSize, metadata, tensors);
    }

    private static Map<String, String> readMetadata(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        expect(parser.currentToken() == JsonToken.START_OBJECT, "__metadata__ must be an object of strings");
        Map<String, String> metadata = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = wellFormed(parser.currentName());
            JsonToken value = parser.nextToken();
            expect(value == JsonToken.VALUE_STRING,
                    "__metadata__ values must be strings, but '" + key + "' is " + describe(value));
            if (metadata.put(key, wellFormed(parser.getText())) != null) {
                throw new SafetensorsException(Problem.DUPLICATE_KEY, "__metadata__ names '" + key + "' twice");
            }
        }
        return metadata;
    }

    private static TensorInfo readTensor(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken() == JsonToken.START_OBJECT,
                "tensor '" + name + "' must be an object with dtype, shape and data_offsets");
        Dtype dtype = null;
        List<Long> shape = null;
        long[] offsets = null;
        Set<String> fields = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (!fields.add(field)) {
                throw new SafetensorsException(Problem.DUPLICATE_KEY, "tensor '" + name + "' names '" + field + "' twice");
            }
            parser.nextToken();
            switch (field) {
                case "dtype" -> dtype = readDtype(parser, name);
                case "shape" -> shape = readIndexes(parser, name, "shape");
                case "data_offsets" -> offsets = readOffsets(parser, name);
                // Unknown fields are ignored, as the reference reader ignores them.
                default -> parser.skipChildren();
            }
        }
        expect(dtype != null, "tensor '" + name + "' has no dtype");
        expect(shape != null, "tensor '" + name + "' has no shape");
        expect(offsets != null, "tensor '" + name + "' has no data_offsets");
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static Dtype readDtype(JsonParser parser, String name) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_STRING, "tensor '" + name + "' has a dtype that is not a string");
        String text = parser.getText();
        return Dtype.fromName(text).orElseThrow(() -> new SafetensorsException(Problem.UNKNOWN_DTYPE,
                "tensor '" + name + "' has dtype '" + text + "', which safetensors does not define"));
    }

    private static long[] readOffsets(JsonParser parser, String name) throws IOException {
        List<Long> offsets = readIndexes(parser, name, "data_offsets");
        expect(offsets.size() == 2, "tensor '" + name + "' must have data_offsets [begin, end], not " + offsets.size() + " numbers");
        return new long[] {offsets.get(0), offsets.get(1)};
    }

    private static List<Long> readIndexes(JsonParser parser, String name, String field) throws IOException {
        expect(parser.currentToken() == JsonToken.START_ARRAY, "tensor '" + name + "' has a " + field + " that is not a list");
        List<Long> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            values.add(readIndex(parser, name, field));
        }
        return values;
    }

    private static long readIndex(JsonParser parser, String name, String field) throws IOException {
        JsonToken token = parser.currentToken();
        String where = "tensor '" + name + "' " + field;
        expect(token == JsonToken.VALUE_NUMBER_INT, where + " must hold whole numbers, not " + describe(token) + " " + parser.getText());
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new SafetensorsException(Problem.VALIDATION_OVERFLOW, where + " holds " + parser.getText() + ", beyond 63 bits");
        }
        long value = parser.getLongValue();
        expect(value >= 0 && !parser.getText().startsWith("-"), where + " holds a negative number " + parser.getText());
        return value;
    }

    /** Rejects invalid UTF-8 (overlong forms and encoded surrogates included) without copying the header. */
    private static void requireStrictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw new SafetensorsException(Problem.INVALID_HEADER,
                        "the header is not valid UTF-8 (at header byte " + in.position() + ")");
            }
            if (result.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        if (decoder.flush(out).isError()) {
            throw new SafetensorsException(Problem.INVALID_HEADER, "the header is not valid UTF-8");
        }
    }

    /** JSON escapes can spell unpaired surrogates that UTF-8 cannot; the reference reader refuses them. */
    private static String wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid("the header holds a string with an unpaired UTF-16 surrogate escape");
            }
        }
        return text;
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_NUMBER_FLOAT -> "the fractional number";
            case VALUE_NUMBER_INT -> "the number";
            case VALUE_STRING -> "the string";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            default -> token.asString();
        };
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }

    private static SafetensorsException invalid(String message) {
        return new SafetensorsException(Problem.INVALID_HEADER_DESERIALIZATION, message);
    }
}

package dev.quiver.schema.safetensors;

import static dev.quiver.schema.safetensors.SafetensorsFiles.file;
import static dev.quiver.schema.safetensors.SafetensorsFiles.withClaimedHeaderSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every attack on safetensors readers we know of, each refused with the right problem by every entry point. */
class SafetensorsHostileInputTest {

    private static final String ONE_F32 = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

    @TempDir
    Path dir;

    /** Refused the same way from a stream, from a file on disk and by the streaming validator. */
    private void assertRefused(byte[] bytes, Problem problem) {
        assertProblem(() -> SafetensorsReader.readHeader(new ByteArrayInputStream(bytes), bytes.length), problem);
        assertProblem(() -> SafetensorsReader.validate(new ByteArrayInputStream(bytes), bytes.length), problem);
        Path path = dir.resolve("hostile-" + System.nanoTime() + ".safetensors");
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertProblem(() -> SafetensorsReader.readHeader(path), problem);
    }

    private static void assertProblem(Runnable read, Problem problem) {
        assertThatThrownBy(read::run)
                .isInstanceOf(SafetensorsException.class)
                .satisfies(e -> assertThat(((SafetensorsException) e).problem()).as(e.getMessage()).isEqualTo(problem))
                .hasMessageNotContaining("Exception");
    }

    @Test
    void fileShorterThanTheLengthPrefixIsTooSmall() {
        assertRefused(new byte[0], Problem.HEADER_TOO_SMALL);
        assertRefused(new byte[7], Problem.HEADER_TOO_SMALL);
    }

    @Test
    void headerLengthAboveOneHundredMillionIsRefusedBeforeReadingIt() {
        assertRefused(withClaimedHeaderSize(SafetensorsReader.MAX_HEADER_SIZE + 1, new byte[16]), Problem.HEADER_TOO_LARGE);
    }

    @Test
    void headerLengthWithTheTopBitSetIsTooLargeNotNegative() {
        assertRefused(withClaimedHeaderSize(-1L, new byte[16]), Problem.HEADER_TOO_LARGE);
        assertRefused(withClaimedHeaderSize(Long.MIN_VALUE, new byte[16]), Problem.HEADER_TOO_LARGE);
    }

    @Test
    void headerLengthPastTheEndOfTheFileIsRefusedWithoutAllocatingIt() {
        assertRefused(withClaimedHeaderSize(SafetensorsReader.MAX_HEADER_SIZE, "{}".getBytes()), Problem.INVALID_HEADER_LENGTH);
        assertRefused(withClaimedHeaderSize(3, "{}".getBytes()), Problem.INVALID_HEADER_LENGTH);
    }

    @Test
    void streamThatEndsInsideTheHeaderIsRefusedEvenWhenTheClaimedLengthAllowsIt() {
        byte[] bytes = withClaimedHeaderSize(50_000_000, "{}".getBytes());

        assertProblem(() -> SafetensorsReader.readHeader(new ByteArrayInputStream(bytes), 60_000_000),
                Problem.INVALID_HEADER_LENGTH);
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutExhaustingTheStack() {
        String bomb = "[".repeat(200_000) + "]".repeat(200_000);
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":" + bomb + "}}", 0),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void invalidUtf8InTheHeaderIsRefused() {
        byte[] json = "{\"__metadata__\":{\"k\":\"\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] truncatedSequence = Arrays.copyOf(json, json.length);
        truncatedSequence[json.length - 4] = (byte) 0xC3;
        truncatedSequence[json.length - 3] = (byte) 0x22;
        assertRefused(file(truncatedSequence, 0), Problem.INVALID_HEADER);
        byte[] overlongSlash = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        assertRefused(file(overlongSlash, 0), Problem.INVALID_HEADER);
        byte[] encodedSurrogate = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'};
        assertRefused(file(encodedSurrogate, 0), Problem.INVALID_HEADER);
    }

    @Test
    void unpairedSurrogateEscapeIsRefused() {
        assertRefused(file("{\"__metadata__\":{\"k\":\"\\ud800\"}}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void headerThatIsNotAJsonObjectIsRefused() {
        assertRefused(file("[]      ", 0), Problem.INVALID_HEADER);
        assertRefused(file(" {}", 0), Problem.INVALID_HEADER);
        assertRefused(file("", 0), Problem.INVALID_HEADER);
        assertRefused(file("{\"a\":", 0), Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void contentAfterTheJsonObjectIsRefusedButSpacePaddingIsNot() {
        assertRefused(file("{}{}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{}\u0000\u0000", 0), Problem.INVALID_HEADER_DESERIALIZATION);
        byte[] padded = file("{}      ", 0);
        assertThat(SafetensorsReader.validate(new ByteArrayInputStream(padded), padded.length).headerSize()).isEqualTo(8);
    }

    @Test
    void negativeOffsetsAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[-4,0]}}", 0),
                Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[-0,0]}}", 0),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void negativeDimensionIsRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void offsetsPastTheEndOfTheFileAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[400],\"data_offsets\":[0,400]}}", 4),
                Problem.METADATA_INCOMPLETE_BUFFER);
    }

    @Test
    void overlappingTensorsAreRefused() {
        assertRefused(file("{" + ONE_F32 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                Problem.INVALID_OFFSET);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), Problem.INVALID_OFFSET);
    }

    @Test
    void holesBetweenTensorsAreRefused() {
        assertRefused(file("{" + ONE_F32 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                Problem.INVALID_OFFSET);
    }

    @Test
    void dataThatDoesNotStartAtOffsetZeroIsRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), Problem.INVALID_OFFSET);
    }

    @Test
    void offsetsThatRunBackwardsAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4), Problem.INVALID_OFFSET);
    }

    @Test
    void offsetsThatDisagreeWithShapeAndDtypeAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), Problem.TENSOR_INVALID_INFO);
    }

    @Test
    void shapeWhoseProductWrapsToZeroIsAnOverflowNotAnEmptyTensor() {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0),
                Problem.VALIDATION_OVERFLOW);
    }

    @Test
    void shapeWhoseBitCountOverflowsIsRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0),
                Problem.VALIDATION_OVERFLOW);
    }

    @Test
    void integersBeyondSixtyFourBitsAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[18446744073709551617],\"data_offsets\":[0,1]}}", 1),
                Problem.VALIDATION_OVERFLOW);
    }

    @Test
    void tensorDataLargerThanALongCanAddressIsRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[9223372036854775800],"
                + "\"data_offsets\":[0,9223372036854775800]}}", 0), Problem.VALIDATION_OVERFLOW);
    }

    @Test
    void packedDtypeThatDoesNotFillWholeBytesIsMisaligned() {
        assertRefused(file("{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,1]}}", 1), Problem.MISALIGNED_SLICE);
        assertRefused(file("{\"a\":{\"dtype\":\"F6_E2M3\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1), Problem.MISALIGNED_SLICE);
    }

    @Test
    void unknownDtypeIsRefusedBeforeItsOffsetsAreTrusted() {
        assertRefused(file("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,999999]}}", 4), Problem.UNKNOWN_DTYPE);
        assertRefused(file("{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), Problem.UNKNOWN_DTYPE);
        assertRefused(file("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void floatOffsetsAndDimensionsAreRefusedEvenWhenWhole() {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.0,4.0]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4e0]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void malformedTensorEntriesAreRefused() {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":[1,2]}", 4), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", 4),
                Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void duplicateKeysAreRefusedAtEveryLevel() {
        assertRefused(file("{" + ONE_F32 + "," + ONE_F32.replace("[0,4]", "[4,8]") + "}", 8), Problem.DUPLICATE_KEY);
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                Problem.DUPLICATE_KEY);
        assertRefused(file("{\"__metadata__\":{\"format\":\"pt\",\"format\":\"np\"}}", 0), Problem.DUPLICATE_KEY);
        assertRefused(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0), Problem.DUPLICATE_KEY);
    }

    @Test
    void metadataValuesMustBeStrings() {
        assertRefused(file("{\"__metadata__\":{\"format\":1}}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"__metadata__\":{\"nested\":{\"a\":\"b\"}}}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"__metadata__\":{\"x\":null}}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
        assertRefused(file("{\"__metadata__\":[\"pt\"]}", 0), Problem.INVALID_HEADER_DESERIALIZATION);
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRefused() {
        byte[] exact = file("{" + ONE_F32 + "}", 4);
        byte[] trailing = Arrays.copyOf(exact, exact.length + 1);

        assertRefused(trailing, Problem.METADATA_INCOMPLETE_BUFFER);
    }

    @Test
    void streamLongerThanItsDeclaredLengthIsRefusedByTheValidator() {
        byte[] exact = file("{" + ONE_F32 + "}", 4);
        byte[] longer = Arrays.copyOf(exact, exact.length + 100);

        assertProblem(() -> SafetensorsReader.validate(new ByteArrayInputStream(longer), exact.length),
                Problem.METADATA_INCOMPLETE_BUFFER);
    }

    @Test
    void truncatedFileIsRefused() {
        byte[] exact = file("{" + ONE_F32 + "}", 4);

        assertRefused(Arrays.copyOf(exact, exact.length - 1), Problem.METADATA_INCOMPLETE_BUFFER);
        assertRefused(Arrays.copyOf(exact, 20), Problem.INVALID_HEADER_LENGTH);
        assertProblem(() -> SafetensorsReader.validate(new ByteArrayInputStream(Arrays.copyOf(exact, exact.length - 1)),
                exact.length), Problem.METADATA_INCOMPLETE_BUFFER);
    }

    @Test
    void tensorNamedLikeTheMetadataKeyCannotBeWritten() {
        assertProblem(() -> new SafetensorsWriter().add("__metadata__", Dtype.U8, new long[] {0},
                java.nio.ByteBuffer.allocate(0)), Problem.TENSOR_INVALID_INFO);
    }

    @Test
    void tensorWithANegativeDimensionCannotBeWritten() {
        assertProblem(() -> new SafetensorsWriter().add("a", Dtype.F32, new long[] {-1, -4},
                java.nio.ByteBuffer.allocate(16)), Problem.TENSOR_INVALID_INFO);
    }
}

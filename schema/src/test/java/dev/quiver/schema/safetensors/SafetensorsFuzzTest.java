package dev.quiver.schema.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whatever the bytes, the reader either returns a header consistent with the file or throws
 * {@link SafetensorsException}: never another exception, never an error such as
 * {@code OutOfMemoryError}. As a plain JUnit test this runs the seed corpus in
 * {@code SafetensorsFuzzTestInputs/}. To fuzz for two minutes:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl schema test -Dtest=SafetensorsFuzzTest -Djazzer.hooks=true}.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readerOnlyEverThrowsSafetensorsException(byte[] data) {
        checkFile(data);
        // The same bytes as a header with an honest length, so the fuzzer reaches the JSON checks.
        checkFile(ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).put(data).array());
    }

    private static void checkFile(byte[] file) {
        try {
            SafetensorsHeader header = SafetensorsReader.validate(new ByteArrayInputStream(file), file.length);
            assertThat(header.fileLength()).isEqualTo(file.length);
            assertThat(SafetensorsReader.readHeader(new ByteArrayInputStream(file), file.length)).isEqualTo(header);
        } catch (SafetensorsException expected) {
            assertThat(expected.problem()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}

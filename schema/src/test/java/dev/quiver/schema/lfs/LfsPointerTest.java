package dev.quiver.schema.lfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LfsPointerTest {

    static final String OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    @Test
    void pointerTextIsWhatGitLfsWrites() {
        assertThat(new LfsPointer(OID, 12345).text()).isEqualTo(
                "version https://git-lfs.github.com/spec/v1\noid sha256:" + OID + "\nsize 12345\n");
    }

    @Test
    void parsingThePointerTextGivesTheSamePointer() {
        LfsPointer pointer = new LfsPointer(OID, 0);

        assertThat(LfsPointer.parse(pointer.text().getBytes(StandardCharsets.US_ASCII))).contains(pointer);
    }

    @Test
    void largestLongSizeRoundTrips() {
        LfsPointer pointer = new LfsPointer(OID, Long.MAX_VALUE);

        assertThat(LfsPointer.parse(pointer.text().getBytes(StandardCharsets.US_ASCII))).contains(pointer);
    }

    @Test
    void constructorRefusesBadOidsAndNegativeSizes() {
        assertThatThrownBy(() -> new LfsPointer(OID.toUpperCase(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LfsPointer(OID.substring(1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LfsPointer(OID, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}

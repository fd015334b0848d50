package dev.quiver.schema.lfs;

import static dev.quiver.schema.lfs.LfsPointerTest.OID;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Content that merely looks like a pointer is an ordinary file, never a pointer. */
class LfsPointerHostileInputTest {

    private static final String V1 = "version https://git-lfs.github.com/spec/v1\n";

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        V1,
        V1 + "oid sha256:" + OID + "\nsize 12\n\n",
        V1 + "oid sha256:" + OID + "\nsize 12",
        V1 + "oid sha256:" + OID + "\r\nsize 12\r\n",
        V1 + "size 12\noid sha256:" + OID + "\n",
        V1 + "oid sha256:" + OID + "\nsize -12\n",
        V1 + "oid sha256:" + OID + "\nsize +12\n",
        V1 + "oid sha256:" + OID + "\nsize 012\n",
        V1 + "oid sha256:" + OID + "\nsize 9223372036854775808\n",
        V1 + "oid sha256:" + OID + "\nsize 1.5\n",
        V1 + "oid sha256:" + OID + "\nsize  12\n",
        V1 + "oid sha1:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\nsize 12\n",
        V1 + "oid sha256:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "\nsize 12\n",
        V1 + "oid sha256:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\nsize 12\n",
        V1 + "ext-0-foo sha256:" + OID + "\noid sha256:" + OID + "\nsize 12\n",
        "version https://hawser.github.com/spec/v1\noid sha256:" + OID + "\nsize 12\n",
        " version https://git-lfs.github.com/spec/v1\noid sha256:" + OID + "\nsize 12\n",
    })
    void almostPointersAreNotPointers(String content) {
        assertThat(LfsPointer.parse(content.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 4096})
    void contentOfAKilobyteOrMoreIsNeverAPointer(int length) {
        byte[] content = new byte[length];
        byte[] pointer = new LfsPointer(OID, 1).text().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(pointer, 0, content, 0, pointer.length);

        assertThat(LfsPointer.parse(content)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u00e9", "\u0000", "\u2028"})
    void nonAsciiBytesAnywhereMeanNotAPointer(String intruder) {
        String text = V1 + "oid sha256:" + OID + "\nsize 12" + intruder + "\n";

        assertThat(LfsPointer.parse(text.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}

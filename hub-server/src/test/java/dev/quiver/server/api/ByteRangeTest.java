package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    private static ByteRange.Request parse(String header, long length) {
        return ByteRange.parse(Optional.of(header), length);
    }

    private static ByteRange part(String header, long length) {
        ByteRange.Request r = parse(header, length);
        assertThat(r).as(header).isInstanceOf(ByteRange.Part.class);
        return ((ByteRange.Part) r).range();
    }

    @Test
    void theFourFormsClientsSendResolveAgainstTheLength() {
        assertThat(part("bytes=0-0", 10)).isEqualTo(new ByteRange(0, 0));
        assertThat(part("bytes=2-5", 10)).isEqualTo(new ByteRange(2, 5));
        assertThat(part("bytes=7-", 10)).isEqualTo(new ByteRange(7, 9));
        assertThat(part("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9));
        assertThat(part("bytes=-30", 10)).isEqualTo(new ByteRange(0, 9));
        assertThat(part("bytes=5-999", 10)).isEqualTo(new ByteRange(5, 9));
        assertThat(part(" bytes = 1 - 2 ", 10)).isEqualTo(new ByteRange(1, 2));
        assertThat(part("bytes=0-0", 10).contentRange(10)).isEqualTo("bytes 0-0/10");
        assertThat(part("bytes=2-5", 10).length()).isEqualTo(4);
    }

    @Test
    void rangesThatSelectNothingAreUnsatisfiable() {
        for (String h : new String[] {"bytes=10-", "bytes=10-20", "bytes=-0", "bytes=99999-"}) {
            assertThat(parse(h, 10)).as(h).isInstanceOf(ByteRange.Unsatisfiable.class);
        }
        assertThat(parse("bytes=0-0", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(parse("bytes=-5", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void hostileOrUnsupportedHeadersAreIgnoredAndTheWholeFileIsSent() {
        String[] headers = {"", "bytes=", "bytes=-", "bytes=5-2", "bytes=0-1,3-4", "items=0-1", "bytes=a-b",
            "bytes=1-2-3", "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=9223372036854775807-x",
            "bytes=0-0\r\nX-Evil: 1", "bytes=\u0660-\u0661", "BYTES=0-1", "bytes=+1-2", "bytes=-1-2", "x".repeat(10_000)};
        for (String h : headers) {
            assertThat(parse(h, 100)).as(h).isInstanceOf(ByteRange.Whole.class);
        }
        assertThat(ByteRange.parse(Optional.empty(), 100)).isInstanceOf(ByteRange.Whole.class);
        assertThat(part("bytes=9223372036854775806-", Long.MAX_VALUE))
                .isEqualTo(new ByteRange(9223372036854775806L, 9223372036854775806L));
    }
}

package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.client.RepoSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void sizesReadLikeAPersonWouldSayThem() {
        assertThat(Output.size(0)).isEqualTo("0 B");
        assertThat(Output.size(1023)).isEqualTo("1023 B");
        assertThat(Output.size(1024)).isEqualTo("1.0 KiB");
        assertThat(Output.size(11_000_000)).isEqualTo("10.5 MiB");
        assertThat(Output.size(1L << 30)).isEqualTo("1.0 GiB");
        assertThat(Output.size(Long.MAX_VALUE)).endsWith("PiB");
    }

    @Test
    void datesAndIdsAreShortened() {
        assertThat(Output.date("2024-02-19T11:06:12.000Z")).isEqualTo("2024-02-19 11:06");
        assertThat(Output.date("yesterday")).isEqualTo("yesterday");
        assertThat(Output.shortId("0123456789abcdef")).isEqualTo("01234567");
    }

    @Test
    void recordsBecomeJsonWithOptionalsAsValuesOrNull() {
        StringWriter s = new StringWriter();
        Output.json(new PrintWriter(s), List.of(new RepoSummary("acme/x", true, 3, 1, "false", Optional.of("2024-01-01T00:00:00.000Z"),
                Optional.empty(), List.of("peft"))));
        assertThat(s.toString()).contains("\"id\" : \"acme/x\"", "\"private\" : true", "\"lastModified\" : \"2024-01-01T00:00:00.000Z\"",
                "\"pipelineTag\" : null", "\"tags\" : [ \"peft\" ]");
    }
}

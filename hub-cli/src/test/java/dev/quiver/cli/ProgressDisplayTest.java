package dev.quiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    @Test
    void columnsComeFromSttySizeAndAnythingElseIsTheUsualWidth() {
        assertThat(TerminalWidth.columns("24 120\n")).isEqualTo(120);
        assertThat(TerminalWidth.columns(" 50   72 ")).isEqualTo(72);
        assertThat(TerminalWidth.columns("0 0")).isEqualTo(TerminalWidth.UNKNOWN); // a pseudo-terminal with no size
        assertThat(TerminalWidth.columns("")).isEqualTo(TerminalWidth.UNKNOWN);
        assertThat(TerminalWidth.columns("stty: 'standard input': Inappropriate ioctl for device"))
                .isEqualTo(TerminalWidth.UNKNOWN);
        assertThat(TerminalWidth.columns("24 99999999999")).isEqualTo(TerminalWidth.UNKNOWN);
        assertThat(TerminalWidth.columns("24 -3")).isEqualTo(TerminalWidth.UNKNOWN);
    }

    @Test
    void askingWithoutATerminalGivesTheUsualWidthInsteadOfFailing() {
        // under the build there is a terminal or not; either way the answer is a usable width
        assertThat(TerminalWidth.ask()).isBetween(1, 99_999);
    }

    @Test
    void barsForTheWholeTransferAndALargeFileFitTheWidthAndEndComplete() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long size = 64L << 20;
        try (ProgressDisplay display = new ProgressDisplay("download", new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            display.planned(1, size);
            display.started("weights/adapter_model.safetensors", size);
            for (long done = 0; done < size; done += 1 << 20) {
                display.progressed("weights/adapter_model.safetensors", 1 << 20);
            }
            display.finished("weights/adapter_model.safetensors");
        }
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("download 1 file", "adapter_model.safetensors", "100%", "64/64MiB");
        int width = TerminalWidth.ask() - 1;
        // each frame, without the cursor moves around it, fits the terminal
        Arrays.stream(drawn.replaceAll("\u001b\\[[0-9;]*[ABm]", "").split("[\r\n]+"))
                .forEach(frame -> assertThat(frame.length()).as(frame).isLessThanOrEqualTo(width));
    }

    @Test
    void aWaitForAnotherDownloadIsALineOfItsOwnThatSaysWhy() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressDisplay display = new ProgressDisplay("download", new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            display.planned(1, 1 << 20);
            display.waiting("adapter_model.safetensors");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\r\u001b[Kquiver: another download of "
                + "adapter_model.safetensors into the same place is in progress; waiting for it to finish\n");
    }
}

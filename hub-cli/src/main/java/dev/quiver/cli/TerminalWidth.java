package dev.quiver.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The width of the terminal that progress bars draw on, asked once with {@code stty size}. Left to
 * itself, the progress bar library asks its terminal library (JLine) on every redraw, which runs
 * {@code stty} each time and spends about 90 ms of CPU on its first answer (starting itself, and
 * running tty, test and stty); one {@code stty} costs a fraction of that.
 */
final class TerminalWidth {
    /** The width assumed when the terminal's own cannot be told. */
    static final int UNKNOWN = 80;

    private TerminalWidth() {
    }

    /** The terminal's columns, or {@value #UNKNOWN} when they cannot be told (no terminal, no stty). */
    static int ask() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return stty.waitFor() == 0 ? columns(answer) : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }

    /**
     * The columns in what {@code stty size} printed ("rows columns"); {@value #UNKNOWN} for anything
     * else, or for 0 (a pseudo-terminal that was given no size).
     */
    static int columns(String sttySize) {
        String[] parts = sttySize.trim().split("\\s+");
        if (parts.length == 2 && parts[1].matches("\\d{1,5}")) {
            int columns = Integer.parseInt(parts[1]);
            return columns > 0 ? columns : UNKNOWN;
        }
        return UNKNOWN;
    }
}

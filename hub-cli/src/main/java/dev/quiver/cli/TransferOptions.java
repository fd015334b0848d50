package dev.quiver.cli;

import dev.quiver.client.TransferListener;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by upload and download: globs, parallelism, progress. */
final class TransferOptions {
    @Option(names = "--include", paramLabel = "GLOB", description = "Only paths matching (repeatable; * also matches /).")
    List<String> include = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out paths matching (repeatable).")
    List<String> exclude = List.of();

    @Option(names = "--workers", defaultValue = "8", paramLabel = "N",
            description = "Files transferred side by side (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars and no summary on stderr.")
    boolean quiet;

    /**
     * Progress bars on stderr for a person at a terminal; without one only the notice of a wait for
     * another download ({@code err}); nothing when asked for quiet.
     */
    TransferListener progress(CliEnvironment environment, PrintWriter err, String task) {
        if (quiet) {
            return TransferListener.NONE;
        }
        return environment.interactive() ? new ProgressDisplay(task, System.err) : new WaitNotice(err);
    }

    void check() {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("--workers must be between 1 and 64");
        }
    }
}

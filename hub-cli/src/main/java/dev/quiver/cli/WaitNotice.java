package dev.quiver.cli;

import dev.quiver.client.TransferListener;
import java.io.PrintWriter;

/**
 * What a transfer without a terminal says on stderr: only that it waits for another download of
 * the same file (which can take minutes), so a CI log does not show a silent hang. No progress.
 */
final class WaitNotice implements TransferListener {
    private final PrintWriter err;

    WaitNotice(PrintWriter err) {
        this.err = err;
    }

    static String text(String path) {
        return "quiver: another download of " + path + " into the same place is in progress; waiting for it to finish";
    }

    @Override
    public void waiting(String path) {
        err.println(text(path));
        err.flush();
    }
}

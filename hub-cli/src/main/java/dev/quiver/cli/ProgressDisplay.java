package dev.quiver.cli;

import dev.quiver.client.TransferListener;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on the terminal: one for the whole transfer (bytes, rate, ETA) and one per file
 * large enough to watch. Only used when standard error is a terminal; in a pipe nothing is drawn
 * ({@link WaitNotice} instead).
 */
final class ProgressDisplay implements TransferListener, AutoCloseable {
    /** Files smaller than this get no bar of their own: hundreds of tiny bars would only flicker. */
    private static final long OWN_BAR = 16L << 20;
    private static final int MAX_FILE_BARS = 4;

    private final String task;
    private final PrintStream err;
    private final Map<String, ProgressBar> files = new ConcurrentHashMap<>();
    private volatile ProgressBar total;
    private final FutureTask<Integer> width;

    ProgressDisplay(String task, PrintStream err) {
        this.task = task;
        this.err = err;
        // asked early, on a thread of its own, so that the answer is there when the first bar is
        // drawn (after the command's first requests) instead of holding the transfer back
        this.width = new FutureTask<>(TerminalWidth::ask);
        Thread.ofPlatform().daemon().name("terminal-width").start(width);
    }

    /** Takes the bars off the terminal, if {@code listener} is a display: before a summary, and when done. */
    static void closeIfShown(TransferListener listener) {
        if (listener instanceof ProgressDisplay d) {
            d.close();
        }
    }

    @Override
    public synchronized void planned(int count, long bytes) {
        if (total != null) {
            total.close();
        }
        total = count == 0 ? null : bar(task + " " + count + (count == 1 ? " file" : " files"), bytes);
    }

    /** A line of its own, above the bars (cleared from the cursor's line first), which redraw below it. */
    @Override
    public synchronized void waiting(String path) {
        err.print("\r\u001b[K" + WaitNotice.text(path) + "\n");
        err.flush();
    }

    @Override
    public void started(String path, long size) {
        if (size >= OWN_BAR && files.size() < MAX_FILE_BARS) {
            files.computeIfAbsent(path, p -> bar(shorten(p), size));
        }
    }

    @Override
    public void progressed(String path, long bytes) {
        ProgressBar t = total;
        if (t != null) {
            t.stepBy(bytes);
        }
        ProgressBar f = files.get(path);
        if (f != null) {
            f.stepBy(bytes);
        }
    }

    @Override
    public void finished(String path) {
        ProgressBar f = files.remove(path);
        if (f != null) {
            f.close();
        }
    }

    @Override
    public synchronized void close() {
        files.values().forEach(ProgressBar::close);
        files.clear();
        if (total != null) {
            total.close();
            total = null;
        }
    }

    private ProgressBar bar(String name, long max) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(max, 1))
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit("MiB", 1L << 20).showSpeed()
                .setUpdateIntervalMillis(200).setConsumer(new InteractiveConsoleProgressBarConsumer(err, width()))
                .build();
    }

    /**
     * The width a bar may take: the terminal's less one column, as progressbar leaves. Given to
     * each bar, so that progressbar never asks the terminal itself (see {@link TerminalWidth}).
     */
    private int width() {
        try {
            // bounded: a terminal that does not answer must not hold the transfer
            return width.get(1, TimeUnit.SECONDS) - 1;
        } catch (ExecutionException | TimeoutException e) {
            return TerminalWidth.UNKNOWN - 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TerminalWidth.UNKNOWN - 1;
        }
    }

    private static String shorten(String path) {
        return path.length() <= 32 ? path : "…" + path.substring(path.length() - 31);
    }
}

package dev.quiver.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether we talk to a person at a terminal (progress bars, prompts) or to a pipe (quiet, parseable). */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        // From JDK 22 System.console() is non-null even when redirected; Console.isTerminal() tells.
        // The build targets 21, so it is looked up rather than called.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

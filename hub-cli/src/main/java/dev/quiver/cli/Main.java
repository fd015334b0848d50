package dev.quiver.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code quiver} command line: everything a person does with a hub from a terminal. */
@Command(name = "quiver", mixinStandardHelpOptions = true, version = "quiver 0.1.0",
        description = "Push, pull, search and inspect LoRA adapters, base models and datasets on a Quiver hub.")
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}

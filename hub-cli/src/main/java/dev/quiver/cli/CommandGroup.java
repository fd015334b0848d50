package dev.quiver.cli;

/** A command that only groups subcommands ({@code quiver repo}, {@code branch}, ...): alone, it prints its usage. */
abstract class CommandGroup extends QuiverCommand implements Runnable {
    @Override
    public void run() {
        spec.commandLine().usage(out());
    }
}

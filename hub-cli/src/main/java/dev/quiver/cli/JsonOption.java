package dev.quiver.cli;

import picocli.CommandLine.Option;

/** {@code --json}, for every command that lists or describes something. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON instead of a table (for scripts).")
    boolean json;
}

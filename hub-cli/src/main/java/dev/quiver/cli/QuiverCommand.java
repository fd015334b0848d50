package dev.quiver.cli;

import dev.quiver.client.HubClient;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code quiver} command reaches: the root command (settings, environment, a client for
 * the chosen hub) and the streams it prints to, which tests replace.
 */
abstract class QuiverCommand {
    @Spec
    CommandSpec spec;

    Main main() {
        return Main.of(spec);
    }

    /** A client for the hub that {@code --endpoint}, the environment or the saved login names. */
    HubClient client() {
        return main().client();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}

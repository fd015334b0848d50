package dev.quiver.runner;

import dev.quiver.runner.demo.DemoCommand;
import dev.quiver.runner.demo.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the trainer runner: {@code train}, {@code verify} and {@code model init-tiny}. */
@Command(name = "quiver", mixinStandardHelpOptions = true,
        subcommands = {TrainCommand.class, VerifyCommand.class, ModelCommand.class, RunnerCommand.class,
        DemoCommand.class, ServeCommand.class},
        description = "Quiver trainer: LoRA fine-tuning and verification.")
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the runner's error handling: user errors print one line and exit 2. */
    public static CommandLine commandLine() {
        DjlEnvironment.configure();
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof TrainerException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}

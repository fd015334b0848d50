package dev.quiver.cli;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code quiver} command line: everything a person does with a hub from a terminal. */
@Command(name = "quiver", mixinStandardHelpOptions = true, version = "quiver 0.1.0", usageHelpAutoWidth = true,
        description = "Push, pull, search and inspect LoRA adapters, base models and datasets on a Quiver hub "
                + "(or any Hugging Face-compatible hub).",
        footerHeading = "%n", footer = {
            "Examples:",
            "  quiver login --endpoint http://localhost:8080",
            "  quiver upload acme/my-lora ./out",
            "  quiver download acme/my-lora",
            "  quiver info acme/my-lora",
            "",
            "Settings: QUIVER_ENDPOINT (else HF_ENDPOINT, else the saved login), QUIVER_TOKEN (else HF_TOKEN, "
                    + "else the saved login), HF_HUB_CACHE / HF_HOME for the download cache.",
            ExitCodes.HELP})
public final class Main implements Runnable {
    private static final List<Class<?>> COMMANDS = List.of(LoginCommand.class, LogoutCommand.class,
            WhoamiCommand.class, RepoCommand.class, UploadCommand.class, DownloadCommand.class, LsCommand.class,
            LogCommand.class, BranchCommand.class, TagCommand.class, InfoCommand.class, SearchCommand.class,
            JobsCommand.class, CompletionCommand.class);
    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--endpoint", "--token");
    private static final Set<String> VERSION_OPTIONS = Set.of("--version", "-V");

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Hub URL (default: QUIVER_ENDPOINT, HF_ENDPOINT, or the saved login).")
    Optional<String> endpoint = Optional.empty();

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Access token (default: QUIVER_TOKEN, HF_TOKEN, or the saved login).")
    Optional<String> token = Optional.empty();

    private final CliEnvironment environment;
    @CommandLine.Spec
    CommandSpec spec;

    public Main(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    CliEnvironment environment() {
        return environment;
    }

    /** The settings from the environment with {@code --endpoint} and {@code --token} applied. */
    ClientSettings settings() {
        return environment.settings().override(endpoint, token);
    }

    HubClient client() {
        return HubClient.create(settings());
    }

    /** The root command object behind any (sub)command. */
    static Main of(CommandSpec spec) {
        return (Main) spec.root().userObject();
    }

    /** A command line with every subcommand and Quiver's error handling (messages that say what to do, exit codes). */
    public static CommandLine commandLine(CliEnvironment environment) {
        return commandLine(environment, COMMANDS);
    }

    /**
     * The command line for these arguments: only the subcommand they name is built when they name
     * one (picocli reads every command's annotations by reflection, which cost each invocation about
     * half a second when all fourteen were built); {@code --version} gets none; help, completion and
     * anything unknown get them all.
     */
    static CommandLine commandLine(CliEnvironment environment, String[] args) {
        Optional<String> word = subcommandWord(args);
        if (word.filter(VERSION_OPTIONS::contains).isPresent()) {
            return commandLine(environment, List.of());
        }
        List<Class<?>> named = word.map(w -> COMMANDS.stream()
                .filter(c -> c != CompletionCommand.class && c.getAnnotation(Command.class).name().equals(w))
                .toList()).orElse(List.of());
        return commandLine(environment, named.isEmpty() ? COMMANDS : named);
    }

    /** The first argument that is not a root option (or its value). */
    private static Optional<String> subcommandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (OPTIONS_WITH_VALUES.contains(args[i])) {
                i++;
            } else {
                String arg = args[i];
                if (OPTIONS_WITH_VALUES.stream().noneMatch(o -> arg.startsWith(o + "="))) {
                    return Optional.of(arg);
                }
            }
        }
        return Optional.empty();
    }

    private static CommandLine commandLine(CliEnvironment environment, List<Class<?>> commands) {
        CommandLine cl = new CommandLine(new Main(environment));
        commands.forEach(cl::addSubcommand);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof HubException h) {
                err.println("quiver: " + h.getMessage());
                return ExitCodes.of(h.problem());
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("quiver: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof UncheckedIOException io) {
                err.println("quiver: " + io.getMessage() + " (" + io.getCause().getMessage() + ")");
                return ExitCodes.FAILURE;
            }
            err.println("quiver: unexpected error: " + ex);
            if (environment.variables().containsKey("QUIVER_DEBUG")) {
                ex.printStackTrace(err);
            }
            return ExitCodes.FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine(CliEnvironment.system(), args);
        cl.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        System.exit(cl.execute(args));
    }
}

package dev.quiver.cli;

import dev.quiver.client.ClientSettings;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command reads from outside: the environment variables, the home folder, standard input and
 * whether standard error is a terminal. Tests pass their own, so nothing reads the real environment.
 */
public record CliEnvironment(Map<String, String> variables, Path home, InputStream stdin, boolean interactive) {
    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
                Terminal.isInteractive());
    }

    public ClientSettings settings() {
        return ClientSettings.fromEnvironment(variables, home);
    }
}

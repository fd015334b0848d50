package dev.quiver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code quiver} commands in this JVM with a given environment, capturing what they print:
 * the same code path as the launcher, minus {@code System.exit}.
 */
final class Cli {
    private final Map<String, String> env;
    private final Path home;
    private final String stdin;

    Cli(Map<String, String> env, Path home, String stdin) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.stdin = stdin;
    }

    /** A CLI pointed at {@code endpoint} with {@code token}, its cache and login under {@code dir}. */
    static Cli against(String endpoint, String token, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("QUIVER_ENDPOINT", endpoint);
        env.put("QUIVER_TOKEN", token);
        env.put("HF_HUB_CACHE", dir.resolve("cache").toString());
        env.put("QUIVER_HOME", dir.resolve("quiver-home").toString());
        return new Cli(env, dir.resolve("home"), "");
    }

    Cli with(String name, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(name, value);
        return new Cli(e, home, stdin);
    }

    Cli without(String name) {
        Map<String, String> e = new HashMap<>(env);
        e.remove(name);
        return new Cli(e, home, stdin);
    }

    Cli stdin(String text) {
        return new Cli(env, home, text);
    }

    Path cache() {
        return Path.of(env.get("HF_HUB_CACHE"));
    }

    Result run(String... args) {
        CliEnvironment environment = new CliEnvironment(env, home,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false);
        CommandLine cl = Main.commandLine(environment, args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** What a command did: exit status and the two streams. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}

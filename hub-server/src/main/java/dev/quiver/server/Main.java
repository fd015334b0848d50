package dev.quiver.server;

import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quiver serve [--data DIR] [--port N] [--host H]}. Prints {@code Quiver hub listening on
 * http://HOST:PORT} once the hub answers requests. ({@code quiver demo} and {@code serve --runner}
 * start this as a child process from the trainer runner, which must not be linked into the hub.)
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            return;
        }
        HubConfig config;
        try {
            config = parse(args, HubConfig.defaults(Path.of("quiver-data")).withPort(8080));
        } catch (IllegalArgumentException e) {
            System.err.println("quiver " + args[0] + ": " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        Hub hub;
        try {
            hub = Hub.start(config);
        } catch (RuntimeException e) {
            if (rootCause(e) instanceof BindException bind) {
                System.err.println("quiver serve: " + bind.getMessage() + "; pick another --port (or --port 0 for a "
                        + "free one), or --host");
                System.exit(1);
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("Quiver hub listening on " + hub.url());
        hub.generatedTokenFile().ifPresent(f -> System.out.println("Admin token written to " + f.toAbsolutePath()
                + " (export QUIVER_TOKEN=$(cat " + f.toAbsolutePath() + "))"));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** {@code defaults} with the options of {@code serve} applied; a bad command line is an error that says why. */
    static HubConfig parse(String[] args, HubConfig defaults) {
        if (!args[0].equals("serve")) {
            throw new IllegalArgumentException("unknown command " + args[0] + "; the hub only knows 'serve'");
        }
        HubConfig config = defaults;
        for (int i = 1; i < args.length; i += 2) {
            String option = args[i];
            if (i + 1 == args.length || args[i + 1].isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[i + 1];
            config = switch (option) {
                case "--data" -> config.withDataDir(Path.of(value));
                case "--port" -> config.withPort(port(value));
                case "--host" -> config.withHost(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            };
        }
        return config;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535 (0 picks a free port), not '"
                + value + "'");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void usage() {
        System.out.println("""
                usage: quiver serve [--data DIR] [--port N] [--host H]
                  --port 0 picks a free port; the 'listening on' line tells which.""");
    }
}

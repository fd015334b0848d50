package dev.quiver.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quiver serve [--data DIR] [--port N] [--host H]} and {@code quiver demo [--data DIR] [--port N]}.
 * Prints {@code Quiver hub listening on http://HOST:PORT} once the hub answers requests.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            return;
        }
        String command = args[0];
        // a demo starts on a fresh data directory unless told otherwise; a hub keeps ./quiver-data
        Path data = command.equals("demo") ? Files.createTempDirectory("quiver-demo-") : Path.of("quiver-data");
        HubConfig config = HubConfig.defaults(data).withPort(8080);
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--data" -> config = config.withDataDir(Path.of(value));
                case "--port" -> config = config.withPort(Integer.parseInt(value));
                case "--host" -> config = config.withHost(value);
                case "--runner" -> {
                    continue;
                }
                default -> {
                    System.err.println("quiver " + command + ": unknown option " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
            i++;
        }
        if (!command.equals("serve") && !command.equals("demo")) {
            usage();
            System.exit(2);
        }
        Hub hub = command.equals("demo") ? Demo.start(config) : Hub.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("Quiver hub listening on " + hub.url());
        hub.generatedTokenFile().ifPresent(f -> System.out.println("Admin token written to " + f.toAbsolutePath()
                + " (export QUIVER_TOKEN=$(cat " + f.toAbsolutePath() + "))"));
        if (command.equals("demo")) {
            Demo.explain(hub);
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void usage() {
        System.out.println("""
                usage: quiver serve [--data DIR] [--port N] [--host H]
                       quiver demo  [--data DIR] [--port N]
                  --port 0 picks a free port; the 'listening on' line tells which.""");
    }
}

package dev.quiver.server;

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
        String command = args[0];
        HubConfig config = HubConfig.defaults(Path.of("quiver-data")).withPort(8080);
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--data" -> config = config.withDataDir(Path.of(value));
                case "--port" -> config = config.withPort(Integer.parseInt(value));
                case "--host" -> config = config.withHost(value);
                default -> {
                    System.err.println("quiver " + command + ": unknown option " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
            i++;
        }
        if (!command.equals("serve")) {
            usage();
            System.exit(2);
        }
        Hub hub = Hub.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
        System.out.println("Quiver hub listening on " + hub.url());
        hub.generatedTokenFile().ifPresent(f -> System.out.println("Admin token written to " + f.toAbsolutePath()
                + " (export QUIVER_TOKEN=$(cat " + f.toAbsolutePath() + "))"));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void usage() {
        System.out.println("""
                usage: quiver serve [--data DIR] [--port N] [--host H]
                  --port 0 picks a free port; the 'listening on' line tells which.""");
    }
}

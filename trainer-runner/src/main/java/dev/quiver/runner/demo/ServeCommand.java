package dev.quiver.runner.demo;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.runner.daemon.RunnerApi;
import dev.quiver.runner.daemon.RunnerDaemon;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quiver serve --runner}: a hub, and a trainer runner attached to it, in one process group. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start a hub with a trainer runner attached (the launcher sends plain 'serve' to the hub).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--runner", required = true, description = "Also run a trainer runner.")
    boolean runner;

    @Option(names = "--data", defaultValue = "quiver-data")
    Path data;

    @Option(names = "--port", defaultValue = "8080")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        String token = Optional.ofNullable(System.getenv("QUIVER_ADMIN_TOKEN")).filter(t -> !t.isBlank())
                .orElse(DemoCommand.adminToken(data));
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--port", Integer.toString(port),
                "--host", host));
        try (HubProcess hub = HubProcess.start(args, token)) {
            Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
            ClientSettings settings = ClientSettings.fromEnvironment()
                    .override(Optional.of(hub.url()), Optional.of(token));
            HubClient client = HubClient.create(settings);
            RunnerApi api = RunnerApi.register(client.http(), "local-runner", RunnerDaemon.capabilities());
            System.out.println("runner " + api.runnerId() + " attached to " + URI.create(hub.url()));
            Thread.ofPlatform().daemon().name("runner").start(new RunnerDaemon(client, api,
                    new HfCache(settings.hubCache()), Files.createDirectories(data.resolve("runner-work")),
                    api.lease().dividedBy(3), false, System.out));
            hub.await();
        }
        return 0;
    }
}

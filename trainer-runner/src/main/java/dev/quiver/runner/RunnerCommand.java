package dev.quiver.runner;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.runner.daemon.RunnerApi;
import dev.quiver.runner.daemon.RunnerDaemon;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runner}: attaches this machine to a hub as a trainer runner and works its jobs until stopped. */
@Command(name = "runner", mixinStandardHelpOptions = true,
        description = "Claim and run training and verification jobs from a Quiver hub.",
        footer = {"", "Example:", "  quiver runner --hub http://127.0.0.1:8080 --token $(cat quiver-data/admin-token)"})
public final class RunnerCommand implements Callable<Integer> {
    @Option(names = "--hub", description = "Hub URL (default: QUIVER_ENDPOINT, then HF_ENDPOINT).")
    String hub;

    @Option(names = "--token", description = "An admin write token (default: QUIVER_TOKEN, then HF_TOKEN).")
    String token;

    @Option(names = "--name", description = "Name shown on the hub (default: the host name).")
    String name;

    @Option(names = "--work-dir", description = "Where jobs write their files (default: a temp dir).")
    Path workDir;

    @Option(names = "--once", description = "Exit after one job.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        ClientSettings settings = ClientSettings.fromEnvironment().override(Optional.ofNullable(hub),
                Optional.ofNullable(token));
        HubClient client = HubClient.create(settings);
        String runnerName = name != null ? name : InetAddress.getLocalHost().getHostName();
        RunnerApi api = RunnerApi.register(client.http(), runnerName, RunnerDaemon.capabilities());
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("quiver-runner-");
        System.out.println("runner " + api.runnerId() + " attached to " + client.http().endpoint()
                + "; base models and datasets cache in " + settings.hubCache());
        new RunnerDaemon(client, api, new HfCache(settings.hubCache()), work, api.lease().dividedBy(3), once, System.out).run();
        return 0;
    }
}

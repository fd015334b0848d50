package dev.quiver.runner.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.ClientSettings;
import dev.quiver.client.HfCache;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubHttp;
import dev.quiver.client.TlsTrust;
import dev.quiver.runner.daemon.RunnerApi;
import dev.quiver.runner.daemon.RunnerDaemon;
import dev.quiver.schema.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quiver demo}: the whole loop in front of a newcomer. A hub on a fresh data dir, seeded with
 * a tiny base model, a Spanish support dataset and an adapter that follows it; a runner; then a
 * dataset commit that retrains, verifies and lands the adapter while its progress streams here.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a seeded hub with a runner and watch a dataset commit retrain an adapter.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Data directory (default: a fresh temporary one).")
    Path data;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0 picks a free one).")
    int port;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? Files.createDirectories(data) : Files.createTempDirectory("quiver-demo-");
        String token = adminToken(dir);
        try (HubProcess hub = HubProcess.start(List.of("--data", dir.toString(), "--port", Integer.toString(port)), token)) {
            Runtime.getRuntime().addShutdownHook(new Thread(hub::close));
            ClientSettings settings = new ClientSettings(Optional.of(URI.create(hub.url())), Optional.of(token),
                    dir.resolve("runner-cache"), dir.resolve("demo-login.json"), TlsTrust.JDK);
            HubClient client = HubClient.create(settings);
            DemoSeed seed = new DemoSeed(client, Files.createDirectories(dir.resolve("demo-work")));
            if (seed.seed()) {
                say("seeded " + DemoSeed.BASE.id() + " (tiny base model), " + DemoSeed.DATASET.webPath()
                        + " (support Q&A), " + DemoSeed.ADAPTER.id() + " (adapter with a quiver.yaml recipe)");
            }
            RunnerApi api = RunnerApi.register(client.http(), "demo-runner", RunnerDaemon.capabilities());
            RunnerDaemon runner = new RunnerDaemon(client, api, new HfCache(settings.hubCache()),
                    Files.createDirectories(dir.resolve("runner-work")), api.lease().dividedBy(3), false,
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            Thread.ofPlatform().daemon().name("runner").start(runner);
            say("web UI:  " + hub.url() + "/" + DemoSeed.ADAPTER.id());
            say("token:   export QUIVER_ENDPOINT=" + hub.url() + " QUIVER_TOKEN=" + token);
            String commit = seed.addRows();
            say("committed new rows to " + DemoSeed.DATASET.webPath() + " (" + commit.substring(0, 7)
                    + "): a retrain is queued; its log follows");
            follow(client.http());
            say("the hub keeps serving; Ctrl-C stops it (data in " + dir + ")");
            hub.await();
        }
        return 0;
    }

    /** Prints the retrain's log as it grows, then the verdict. */
    private static void follow(HubHttp http) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        int shown = 0;
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = http.getJson("/api/jobs/demo", HubHttp.Subject.NONE);
            JsonNode job = null;
            for (JsonNode j : jobs) {
                if (j.path("quiver").path("kind").asText().equals("train")) {
                    job = j;
                    break;
                }
            }
            if (job != null) {
                List<String> lines = logLines(http, job.path("id").asText());
                for (String line : lines.subList(Math.min(shown, lines.size()), lines.size())) {
                    say("  " + line);
                }
                shown = Math.max(shown, lines.size());
                if (job.path("finishedAt").isTextual()) {
                    String status = job.path("quiver").path("status").asText();
                    String landed = job.path("quiver").path("resultCommit").asText("");
                    if (status.equals("succeeded")) {
                        say("verified adapter " + DemoSeed.ADAPTER.id() + "@" + landed);
                    } else {
                        say("the retrain did not land (" + status + "): " + job.path("status").path("message").asText());
                    }
                    return;
                }
            }
            Thread.sleep(1000);
        }
    }

    private static List<String> logLines(HubHttp http, String jobId) {
        try (var in = http.send(http.get(http.url("/api/jobs/demo/" + jobId + "/logs?follow=false")).build(),
                HubHttp.Options.READ).body()) {
            String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return body.lines().filter(l -> l.startsWith("data: ")).map(l -> {
                try {
                    return Json.mapper().readTree(l.substring(6)).path("data").asText();
                } catch (java.io.IOException e) {
                    return l.substring(6);
                }
            }).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The admin token of the demo hub: kept in the data dir so a second run over it still works. */
    static String adminToken(Path dir) throws java.io.IOException {
        Path file = dir.resolve("demo-admin-token");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder("hf_");
        for (int i = 0; i < 34; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, sb + "\n");
        return sb.toString();
    }

    private static void say(String line) {
        System.out.println("demo: " + line);
    }
}

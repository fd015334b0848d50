package dev.quiver.runner.demo;

import dev.quiver.client.CommitOptions;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.LocalFile;
import dev.quiver.client.RepoRef;
import dev.quiver.client.TransferListener;
import dev.quiver.client.Uploader;
import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.TinyModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo puts on a fresh hub, through the same HTTP API any client uses: a tiny Llama base
 * model made here, a Spanish telecom support dataset (deduplicated, with a held-out eval file), and
 * an adapter repository whose {@code quiver.yaml} follows that dataset.
 */
final class DemoSeed {
    static final RepoRef BASE = RepoRef.model("demo/tiny-llama");
    static final RepoRef DATASET = RepoRef.dataset("demo/soporte-telecom");
    static final RepoRef ADAPTER = RepoRef.model("demo/soporte-lora");

    private final HubClient client;
    private final Path work;

    DemoSeed(HubClient client, Path work) {
        this.client = client;
        this.work = work;
    }

    /** Creates the three repositories unless they exist (an earlier demo's data dir keeps its repos). */
    boolean seed() throws IOException {
        if (exists(ADAPTER)) {
            return false;
        }
        Path base = work.resolve("tiny-llama");
        TinyModelWriter.write(base, new TinyModelWriter.Spec(Architecture.LLAMA, 2, 64, 4, 2, 7));
        Files.writeString(base.resolve("README.md"), """
                ---
                license: apache-2.0
                library_name: transformers
                pipeline_tag: text-generation
                tags: [tiny, llama, demo]
                ---
                # tiny-llama

                A deliberately tiny Llama (2 layers, hidden size 64) with random weights and a byte-level
                tokenizer, made by `quiver model init-tiny` so the demo trains in seconds on any laptop.
                """);
        publish(BASE, base, "Add the tiny base model");
        Path dataset = work.resolve("soporte-telecom");
        copy("README-dataset.md", dataset.resolve("README.md"));
        copy("train.jsonl", dataset.resolve("data/train.jsonl"));
        copy("eval.jsonl", dataset.resolve("data/eval.jsonl"));
        publish(DATASET, dataset, "First support questions");
        Path adapter = work.resolve("soporte-lora");
        copy("README-adapter.md", adapter.resolve("README.md"));
        copy("quiver.yaml", adapter.resolve("quiver.yaml"));
        publish(ADAPTER, adapter, "Follow demo/soporte-telecom");
        return true;
    }

    /** The dataset change that starts a retrain: new phrasings of the same support questions. */
    String addRows() throws IOException {
        Path update = work.resolve("update");
        copy("update.jsonl", update.resolve("data/train-update.jsonl"));
        return new Uploader(client, TransferListener.NONE, 2).upload(DATASET,
                List.of(new LocalFile(update.resolve("data/train-update.jsonl"), "data/train-update.jsonl")),
                CommitOptions.of("main", "Add new phrasings of support questions")).commitOid();
    }

    private boolean exists(RepoRef repo) {
        try {
            client.repoInfo(repo, "main");
            return true;
        } catch (HubException e) {
            if (e.status() == 404 || e.status() == 401) {
                return false;
            }
            throw e;
        }
    }

    private void publish(RepoRef repo, Path folder, String message) throws IOException {
        client.createRepo(repo, false, true);
        List<LocalFile> files = new ArrayList<>();
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new LocalFile(p, folder.relativize(p).toString()));
            }
        }
        new Uploader(client, TransferListener.NONE, 2).upload(repo, files, CommitOptions.of("main", message));
    }

    private static void copy(String resource, Path to) {
        try (InputStream in = DemoSeed.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing demo resource " + resource);
            }
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

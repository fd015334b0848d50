package dev.quiver.server;

import dev.quiver.server.repo.CommitRequest;
import dev.quiver.server.repo.FileChange;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoPath;
import dev.quiver.server.repo.RepoType;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code quiver demo}: a hub on a fresh data directory, seeded with a tiny base model, a Spanish
 * telecom support dataset and an adapter repository, so a newcomer has something to browse at once.
 */
final class Demo {
    static final RepoId BASE = new RepoId(RepoType.MODEL, "demo", "tiny-llama");
    static final RepoId DATASET = new RepoId(RepoType.DATASET, "demo", "soporte-telecom");
    static final RepoId ADAPTER = new RepoId(RepoType.MODEL, "demo", "soporte-lora");

    private Demo() {
    }

    static Hub start(HubConfig config) throws IOException {
        if (Files.exists(config.dataDir().resolve("quiver.db"))) {
            return Hub.start(config); // an earlier demo's data dir was given: keep what is there
        }
        Hub hub = Hub.start(config);
        seed(hub, BASE, "seed/base");
        seed(hub, DATASET, "seed/dataset");
        seed(hub, ADAPTER, "seed/adapter");
        return hub;
    }

    private static void seed(Hub hub, RepoId id, String resourceDir) throws IOException {
        hub.repos().create(id, false, RepoWriter.hubIdent());
        List<FileChange> files = new ArrayList<>();
        for (String name : resourceList(resourceDir)) {
            files.add(new FileChange.Put(new RepoPath(name), resource(resourceDir + "/" + name)));
        }
        hub.writer().commit(new CommitRequest(id, "main", Optional.empty(), "Seed the demo", "",
                RepoWriter.hubIdent(), files, false));
    }

    private static List<String> resourceList(String dir) throws IOException {
        String index = new String(resource(dir + "/FILES"), java.nio.charset.StandardCharsets.UTF_8);
        return index.lines().filter(l -> !l.isBlank()).toList();
    }

    private static byte[] resource(String path) {
        try (InputStream in = Demo.class.getResourceAsStream("/dev/quiver/server/demo/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing demo resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void explain(Hub hub) {
        System.out.println("""

                demo: seeded %1$s (base model), %2$s (dataset), %3$s (adapter)
                demo: browse  %4$s/%3$s
                demo: API     curl %4$s/api/models/%3$s
                demo: clone   git clone %4$s/%3$s
                demo: Ctrl-C stops the hub; the data stays in %5$s""".formatted(BASE.id(), DATASET.webPath(),
                ADAPTER.id(), hub.url(), hub.dataDir().toAbsolutePath()));
    }
}

package dev.quiver.server.card;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/** Reads one commit's {@link RevisionFacts}: the card, the adapter config and the safetensors headers. */
final class RevisionReader {
    static final String README = "README.md";
    static final String ADAPTER_CONFIG = "adapter_config.json";
    static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
    /** Front matter sits at the top; a README is read up to this many bytes. */
    private static final int README_LIMIT = 1 << 20;
    private static final int CONFIG_LIMIT = 1 << 20;

    private final Repository git;
    private final RevCommit commit;
    private final BlobStore blobs;

    RevisionReader(Repository git, RevCommit commit, BlobStore blobs) {
        this.git = git;
        this.commit = commit;
        this.blobs = blobs;
    }

    RevisionFacts facts(RepoId repo) {
        try (ObjectReader reader = git.newObjectReader()) {
            ModelCard card = readCard(reader);
            Map<String, ObjectId> weightFiles = safetensorsFiles(reader);
            SafetensorsTotals totals = SafetensorsTotals.empty();
            long adapterParameters = 0;
            boolean anyHeader = false;
            for (Map.Entry<String, ObjectId> file : weightFiles.entrySet()) {
                Optional<SafetensorsHeader> header = header(reader, file.getValue());
                if (header.isPresent()) {
                    anyHeader = true;
                    totals = totals.plus(header.get().parameterCounts());
                    if (file.getKey().equals(ADAPTER_WEIGHTS)) {
                        adapterParameters = header.get().totalParameters();
                    }
                }
            }
            long parameters = adapterParameters;
            Optional<JsonNode> adapterConfig = blob(reader, ADAPTER_CONFIG, CONFIG_LIMIT).flatMap(RevisionReader::json);
            Optional<AdapterSummary> adapter = adapterConfig.flatMap(c -> AdapterConfigs.summary(c, parameters, card));
            List<String> tags = HubTags.derive(card, adapterConfig.isPresent(), adapter, !weightFiles.isEmpty());
            return new RevisionFacts(repo, commit.name(), commit.getCommitterIdent().getWhenAsInstant(), card, tags,
                    adapter, anyHeader ? Optional.of(totals) : Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ModelCard readCard(ObjectReader reader) throws IOException {
        Optional<byte[]> bytes = blob(reader, README, README_LIMIT);
        if (bytes.isEmpty()) {
            return ModelCard.of(Map.of(), "");
        }
        String text = new String(bytes.get(), StandardCharsets.UTF_8);
        try {
            return ModelCard.parse(text);
        } catch (CardException e) {
            // a card that does not parse must not break reads: no metadata, the text as the body
            return ModelCard.of(Map.of(), text);
        }
    }

    private static Optional<JsonNode> json(byte[] bytes) {
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A regular file's first {@code limit} bytes, following an LFS pointer into the blob store. */
    private Optional<byte[]> blob(ObjectReader reader, String path, int limit) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
            if (walk == null || !isFile(walk.getFileMode(0))) {
                return Optional.empty();
            }
            ObjectLoader loader = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB);
            byte[] prefix;
            try (InputStream in = loader.openStream()) {
                prefix = in.readNBytes(limit);
            }
            Optional<LfsPointer> pointer = loader.getSize() < LfsPointer.MAX_POINTER_SIZE ? LfsPointer.parse(prefix)
                    : Optional.empty();
            if (pointer.isEmpty()) {
                return Optional.of(prefix);
            }
            if (!blobs.contains(pointer.get().oid())) {
                return Optional.empty();
            }
            try (InputStream in = blobs.open(pointer.get().oid(), 0)) {
                return Optional.of(in.readNBytes(limit));
            }
        }
    }

    private Map<String, ObjectId> safetensorsFiles(ObjectReader reader) throws IOException {
        Map<String, ObjectId> paths = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            walk.setFilter(PathSuffixFilter.create(".safetensors"));
            while (walk.next()) {
                if (isFile(walk.getFileMode(0))) {
                    paths.put(walk.getPathString(), walk.getObjectId(0));
                }
            }
        }
        return paths;
    }

    /** The header of a safetensors file in git or behind an LFS pointer; empty when it is unreadable. */
    private Optional<SafetensorsHeader> header(ObjectReader reader, ObjectId id) throws IOException {
        try {
            ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
            if (loader.getSize() < LfsPointer.MAX_POINTER_SIZE) {
                Optional<LfsPointer> pointer = LfsPointer.parse(loader.getBytes());
                if (pointer.isPresent()) {
                    return lfsHeader(pointer.get());
                }
            }
            try (InputStream in = loader.openStream()) {
                return Optional.of(SafetensorsReader.readHeader(in, loader.getSize()));
            }
        } catch (SafetensorsException e) {
            return Optional.empty();
        }
    }

    private Optional<SafetensorsHeader> lfsHeader(LfsPointer pointer) throws IOException {
        Optional<Long> size = blobs.size(pointer.oid());
        if (size.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = blobs.open(pointer.oid(), 0)) {
            return Optional.of(SafetensorsReader.readHeader(in, size.get()));
        }
    }

    static boolean isFile(FileMode mode) {
        return mode.equals(FileMode.REGULAR_FILE) || mode.equals(FileMode.EXECUTABLE_FILE);
    }
}

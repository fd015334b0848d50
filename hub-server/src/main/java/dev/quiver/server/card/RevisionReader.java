package dev.quiver.server.card;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** Reads one commit's {@link RevisionFacts}: the card, the adapter config and the safetensors headers. */
final class RevisionReader {
    static final String README = "README.md";
    static final String ADAPTER_CONFIG = "adapter_config.json";
    static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
    /** Front matter sits at the top; a README is read up to this many bytes. */
    private static final int README_LIMIT = 1 << 20;
    private static final int CONFIG_LIMIT = 1 << 20;

    private final RevCommit commit;
    private final RevisionFiles files;

    RevisionReader(Repository git, RevCommit commit, BlobStore blobs) {
        this.commit = commit;
        this.files = new RevisionFiles(git, commit, blobs);
    }

    RevisionFacts facts(RepoId repo) {
        ModelCard card = readCard();
        Map<String, Optional<SafetensorsHeader>> weightFiles = files.safetensorsFiles();
        SafetensorsTotals totals = SafetensorsTotals.empty();
        long adapterParameters = 0;
        boolean anyHeader = false;
        for (Map.Entry<String, Optional<SafetensorsHeader>> file : weightFiles.entrySet()) {
            Optional<SafetensorsHeader> header = file.getValue();
            if (header.isPresent()) {
                anyHeader = true;
                totals = totals.plus(header.get().parameterCounts());
                if (file.getKey().equals(ADAPTER_WEIGHTS)) {
                    adapterParameters = header.get().totalParameters();
                }
            }
        }
        long parameters = adapterParameters;
        Optional<JsonNode> adapterConfig = files.read(ADAPTER_CONFIG, CONFIG_LIMIT).flatMap(RevisionReader::json);
        Optional<AdapterSummary> adapter = adapterConfig.flatMap(c -> AdapterConfigs.summary(c, parameters, card));
        List<String> tags = HubTags.derive(card, adapterConfig.isPresent(), adapter, !weightFiles.isEmpty());
        return new RevisionFacts(repo, commit.name(), commit.getCommitterIdent().getWhenAsInstant(), card, tags,
                adapter, anyHeader ? Optional.of(totals) : Optional.empty());
    }

    private ModelCard readCard() {
        Optional<byte[]> bytes = files.read(README, README_LIMIT);
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
}

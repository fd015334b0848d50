package dev.quiver.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.card.CardException;
import dev.quiver.schema.card.ModelCard;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.peft.AdapterConfig;
import dev.quiver.schema.peft.AdapterConfigException;
import dev.quiver.schema.repo.RepoType;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.TensorInfo;
import dev.quiver.server.QuiverException;
import dev.quiver.server.card.RevisionFiles;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The hub's own verification of an adapter commit, from safetensors headers alone: every LoRA
 * tensor maps to a weight of the base model (at the revision the adapter names) with matching
 * shapes, the rank agrees with {@code adapter_config.json}, and dtypes are ones PEFT writes.
 */
public final class StaticCheck {
    public static final String NAME = "static";
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final Set<Dtype> ALLOWED = Set.of(Dtype.F32, Dtype.F16, Dtype.BF16);
    private static final String PREFIX = "base_model.model.";

    private final RepoStore repos;
    private final BlobStore blobs;

    public StaticCheck(RepoStore repos, BlobStore blobs) {
        this.repos = repos;
        this.blobs = blobs;
    }

    /** Checks {@code commit} of {@code adapter}; empty when the commit holds no adapter at all. */
    public Optional<Check> run(RepoId adapter, RevCommit commit) {
        RevisionFiles files = new RevisionFiles(repos.git(adapter), commit, blobs);
        Optional<byte[]> configBytes = files.read(CONFIG, 1 << 20);
        if (configBytes.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        ObjectNode details = Json.mapper().createObjectNode();
        AdapterConfig config;
        try {
            config = AdapterConfig.parse(new String(configBytes.get(), StandardCharsets.UTF_8));
        } catch (AdapterConfigException e) {
            return Optional.of(fail(details, List.of("adapter_config.json: " + String.join("; ", e.errors()))));
        }
        SafetensorsHeader weights = files.safetensorsHeaders().get(WEIGHTS);
        if (weights == null) {
            return Optional.of(fail(details, List.of(WEIGHTS + " is missing or not a valid safetensors file")));
        }
        Optional<Revision> base = baseRevision(config, files, problems);
        base.ifPresent(b -> {
            details.put("base_model", baseRepo(config, files).orElse(""));
            details.put("base_model_revision", b.sha());
        });
        Map<String, TensorInfo> baseTensors = new HashMap<>();
        base.ifPresent(b -> new RevisionFiles(repos.git(RepoId.of(RepoType.MODEL, details.get("base_model").asText())),
                b.commit(), blobs).safetensorsHeaders().values().forEach(h -> h.tensors().forEach(t ->
                baseTensors.put(t.name(), t))));
        if (base.isPresent() && baseTensors.isEmpty()) {
            problems.add("the base model has no readable safetensors weights at " + base.get().sha());
        }
        int loraTensors = 0;
        for (TensorInfo t : weights.tensors()) {
            if (!ALLOWED.contains(t.dtype())) {
                problems.add(t.name() + ": dtype " + t.dtype() + " is not one PEFT saves (F32, F16, BF16)");
            }
            boolean isA = t.name().endsWith(".lora_A.weight");
            if (!isA && !t.name().endsWith(".lora_B.weight")) {
                continue;
            }
            loraTensors++;
            checkRank(config, t, isA, problems);
            if (!baseTensors.isEmpty()) {
                checkAgainstBase(config, t, isA, baseTensors, problems);
            }
        }
        if (loraTensors == 0) {
            problems.add(WEIGHTS + " holds no lora_A/lora_B tensors");
        }
        details.put("lora_tensors", loraTensors);
        if (!problems.isEmpty()) {
            return Optional.of(fail(details, problems));
        }
        return Optional.of(new Check(NAME, Check.Status.PASS, loraTensors + " LoRA tensors fit "
                + details.path("base_model").asText("the base model") + "@" + shortSha(details), details));
    }

    private Optional<String> baseRepo(AdapterConfig config, RevisionFiles files) {
        if (config.baseModelNameOrPath().contains("/")) {
            return Optional.of(config.baseModelNameOrPath());
        }
        return card(files).flatMap(c -> c.strings("base_model").stream().findFirst());
    }

    private Optional<Revision> baseRevision(AdapterConfig config, RevisionFiles files, List<String> problems) {
        Optional<String> repo = baseRepo(config, files);
        if (repo.isEmpty()) {
            problems.add("the adapter names no base model repo (base_model_name_or_path or the card's base_model)");
            return Optional.empty();
        }
        RepoId id;
        try {
            id = RepoId.of(RepoType.MODEL, repo.get());
        } catch (QuiverException e) {
            problems.add("base model '" + repo.get() + "' is not a repo id of this hub");
            return Optional.empty();
        }
        if (repos.info(id).isEmpty()) {
            problems.add("base model " + id.id() + " is not on this hub");
            return Optional.empty();
        }
        String rev = config.revision().or(() -> card(files).flatMap(c -> c.string("base_model_revision")))
                .orElse(RepoStore.DEFAULT_BRANCH);
        Optional<Revision> found = Revisions.find(repos.git(id), rev);
        if (found.isEmpty()) {
            problems.add("base model revision " + rev + " does not exist in " + id.id());
        }
        return found;
    }

    private static Optional<ModelCard> card(RevisionFiles files) {
        try {
            return files.read("README.md", 1 << 20).map(b -> ModelCard.parse(new String(b, StandardCharsets.UTF_8)));
        } catch (CardException e) {
            return Optional.empty();
        }
    }

    private static void checkRank(AdapterConfig config, TensorInfo t, boolean isA, List<String> problems) {
        String module = module(t.name());
        int rank = config.rankPattern().entrySet().stream().filter(e -> module.endsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(config.r());
        long actual = isA ? t.shape().get(0) : t.shape().get(t.shape().size() - 1);
        if (t.shape().size() != 2 || actual != rank) {
            problems.add(t.name() + ": rank " + actual + " but adapter_config.json says r=" + rank);
        }
    }

    private static void checkAgainstBase(AdapterConfig config, TensorInfo t, boolean isA,
            Map<String, TensorInfo> base, List<String> problems) {
        String module = module(t.name());
        Optional<TensorInfo> weight = baseWeight(module, base);
        if (weight.isEmpty()) {
            problems.add(t.name() + ": the base model has no module " + module);
            return;
        }
        List<Long> w = weight.get().shape();
        if (w.size() != 2 || t.shape().size() != 2) {
            problems.add(t.name() + ": " + module + " is not a 2-D weight in the base model");
            return;
        }
        // nn.Linear stores [out, in]; GPT-2's Conv1D stores [in, out] (PEFT sets fan_in_fan_out for it)
        long in = config.fanInFanOut() ? w.get(0) : w.get(1);
        long out = config.fanInFanOut() ? w.get(1) : w.get(0);
        long expected = isA ? in : out;
        long actual = isA ? t.shape().get(1) : t.shape().get(0);
        if (actual != expected) {
            problems.add(t.name() + ": shape " + t.shape() + " does not fit " + module + " " + w + " of the base model");
        }
    }

    /** The base weight a LoRA module wraps, allowing for the wrapper prefix that base checkpoints leave out. */
    private static Optional<TensorInfo> baseWeight(String module, Map<String, TensorInfo> base) {
        String key = module + ".weight";
        if (base.containsKey(key)) {
            return Optional.of(base.get(key));
        }
        int dot = module.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(base.get(module.substring(dot + 1) + ".weight"));
    }

    private static String module(String tensor) {
        String name = tensor.startsWith(PREFIX) ? tensor.substring(PREFIX.length()) : tensor;
        return name.substring(0, name.length() - ".lora_A.weight".length());
    }

    private static Check fail(ObjectNode details, List<String> problems) {
        problems.forEach(details.putArray("problems")::add);
        return new Check(NAME, Check.Status.FAIL, problems.getFirst() + (problems.size() > 1 ? " (and "
                + (problems.size() - 1) + " more)" : ""), details);
    }

    private static String shortSha(ObjectNode details) {
        String sha = details.path("base_model_revision").asText("");
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}

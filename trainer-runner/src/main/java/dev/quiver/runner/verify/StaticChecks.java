package dev.quiver.runner.verify;

import dev.quiver.runner.TrainerException;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.Linear;
import dev.quiver.runner.model.SafetensorsArrays;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The checks that read only adapter_config.json and the safetensors header: whether the files can
 * be read, whether every tensor is one half of a LoRA pair on a module the base has, with the
 * shapes that module needs, the rank the config states, and an allowed dtype.
 */
final class StaticChecks {
    private static final Set<Dtype> ALLOWED = Set.of(Dtype.F32, Dtype.F16, Dtype.BF16);

    private StaticChecks() {}

    /** Adds the checks to {@code checks}; true when all passed and the weights may be loaded. */
    static boolean run(Path adapterDir, CausalLm model, List<Check> checks) {
        LoraSpec spec;
        SafetensorsHeader header;
        try {
            spec = PeftAdapterFiles.readSpec(adapterDir, model.config().architecture());
            header = SafetensorsArrays.header(adapterDir.resolve(PeftAdapterFiles.WEIGHTS));
        } catch (TrainerException e) {
            checks.add(Check.fail("files-readable", e.getMessage()));
            return false;
        }
        checks.add(Check.pass("files-readable", header.tensors().size() + " tensors, r=" + spec.r()));
        List<String> mapping = new ArrayList<>();
        List<String> rank = new ArrayList<>();
        List<String> dtypes = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        SortedMap<String, boolean[]> halves = new TreeMap<>();
        for (TensorInfo t : header.tensors()) {
            if (!ALLOWED.contains(t.dtype())) {
                dtypes.add(t.name() + " is " + t.dtype());
            }
            PeftAdapterFiles.ModuleKey key;
            try {
                key = PeftAdapterFiles.ModuleKey.parse(t.name());
            } catch (TrainerException e) {
                mapping.add(e.getMessage());
                continue;
            }
            halves.computeIfAbsent(key.modulePath(), p -> new boolean[2])[key.isA() ? 0 : 1] = true;
            Linear l = model.linears().get(key.modulePath());
            if (l == null) {
                foreign.add(key.modulePath());
                continue;
            }
            List<Long> shape = t.shape();
            long r = shape.size() == 2 ? (key.isA() ? shape.get(0) : shape.get(1)) : -1;
            List<Long> want = key.isA() ? List.of(r, l.inFeatures()) : List.of(l.outFeatures(), r);
            if (!shape.equals(want)) {
                mapping.add(t.name() + " has shape " + shape + ", the base module needs " + want
                        + " (the adapter was trained on a model of another size)");
            }
            if (r != spec.r()) {
                rank.add(t.name() + " has rank " + r + ", the config says " + spec.r());
            }
        }
        halves.forEach((module, ab) -> {
            if (!ab[0] || !ab[1]) {
                mapping.add(module + " has " + (ab[0] ? "lora_A but no lora_B" : "lora_B but no lora_A"));
            }
        });
        if (header.tensors().isEmpty()) {
            mapping.add(PeftAdapterFiles.WEIGHTS + " holds no tensors");
        }
        mapping.addAll(foreignModules(foreign, halves.size(), model));
        checks.add(mapping.isEmpty()
                ? Check.pass("tensors-map-to-base", "every tensor targets a base module with matching shapes")
                : Check.fail("tensors-map-to-base", String.join("; ", mapping)));
        checks.add(rank.isEmpty() ? Check.pass("rank-matches-config", "r=" + spec.r())
                : Check.fail("rank-matches-config", String.join("; ", rank)));
        checks.add(dtypes.isEmpty() ? Check.pass("dtypes-allowed", "F32/F16/BF16 only")
                : Check.fail("dtypes-allowed", String.join("; ", dtypes)));
        return mapping.isEmpty() && rank.isEmpty() && dtypes.isEmpty();
    }

    /** One problem per unknown module, or one for all when nothing maps: then the adapter is for another model. */
    private static List<String> foreignModules(List<String> foreign, int modules, CausalLm model) {
        List<String> distinct = foreign.stream().distinct().toList();
        String arch = model.config().architecture().modelType();
        if (!distinct.isEmpty() && distinct.size() == modules) {
            return List.of("none of the adapter's " + modules + " modules (such as " + distinct.get(0) + ") exists in this "
                    + arch + " base model, whose modules are named like " + model.linears().firstKey()
                    + ": the adapter was trained for another architecture; verify it against the base model that "
                    + PeftAdapterFiles.CONFIG + " names");
        }
        return distinct.stream().map(m -> m + " is not a module of this " + arch + " base model").toList();
    }
}

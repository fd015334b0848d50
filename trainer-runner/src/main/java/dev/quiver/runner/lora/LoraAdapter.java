package dev.quiver.runner.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.model.CausalLm;
import dev.quiver.runner.model.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The LoRA branches attached to one model, initialised, merged and named as PEFT does it.
 * PEFT's saved key for a branch is {@code base_model.model.<module path>.lora_A.weight}.
 */
public final class LoraAdapter {
    public static final String KEY_PREFIX = "base_model.model.";
    private final LoraSpec spec;
    private final List<LoraLayer> layers;

    private LoraAdapter(LoraSpec spec, List<LoraLayer> layers) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
    }

    /**
     * Attaches fresh branches to every projection {@code spec} targets: A from kaiming-uniform with
     * a = sqrt(5) (U(-1/sqrt(in), 1/sqrt(in))), B zero, so the model's output is unchanged at first.
     * Draws come from {@code seed} in module-path order, so the same seed gives the same adapter.
     */
    public static LoraAdapter create(CausalLm model, LoraSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LoraLayer> layers = new ArrayList<>();
        NDManager m = model.manager();
        for (Linear linear : targets(model, spec.targets())) {
            long in = linear.inFeatures();
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] a = new float[(int) (spec.r() * in)];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            layers.add(attach(model, linear, m.create(a, new Shape(spec.r(), in)),
                    m.zeros(new Shape(linear.outFeatures(), spec.r())), spec));
        }
        return new LoraAdapter(spec, layers);
    }

    /** Attaches given A and B matrices (loaded from a saved adapter) to the modules they name. */
    public static LoraAdapter attachLoaded(CausalLm model, LoraSpec spec, SortedMap<String, NDArray[]> byModule) {
        List<LoraLayer> layers = new ArrayList<>();
        byModule.forEach((path, ab) -> {
            Linear linear = model.linears().get(path);
            if (linear == null) {
                throw new TrainerException("the adapter has weights for " + path + ", which the base model does not have");
            }
            Shape wantA = new Shape(ab[0].getShape().get(0), linear.inFeatures());
            Shape wantB = new Shape(linear.outFeatures(), ab[0].getShape().get(0));
            if (!ab[0].getShape().equals(wantA) || !ab[1].getShape().equals(wantB)) {
                throw new TrainerException("adapter weights for " + path + " have shapes " + ab[0].getShape() + " and "
                        + ab[1].getShape() + "; the base module needs " + wantA + " and " + wantB);
            }
            layers.add(attach(model, linear, ab[0], ab[1], spec));
        });
        return new LoraAdapter(spec, layers);
    }

    private static LoraLayer attach(CausalLm model, Linear linear, NDArray a, NDArray b, LoraSpec spec) {
        model.addTrainableParameter(linear.path() + ".lora_A.weight", a);
        model.addTrainableParameter(linear.path() + ".lora_B.weight", b);
        LoraLayer layer = new LoraLayer(linear, a, b, spec.scaling(), spec.dropout());
        linear.attach(layer);
        return layer;
    }

    static List<Linear> targets(CausalLm model, TargetModules targets) {
        List<Linear> hits = model.linears().values().stream().filter(l -> targets.matches(l.path())).toList();
        if (hits.isEmpty()) {
            throw new TrainerException("target_modules " + targets + " matches no module of this " + model.config().architecture()
                    + " model; its projections are named like " + model.linears().firstKey());
        }
        return hits;
    }

    public LoraSpec spec() {
        return spec;
    }

    public List<LoraLayer> layers() {
        return layers;
    }

    /** The arrays the optimizer updates, in a stable order (A then B, by module path). */
    public List<NDArray> trainable() {
        List<NDArray> out = new ArrayList<>();
        layers.forEach(l -> {
            out.add(l.a());
            out.add(l.b());
        });
        return Collections.unmodifiableList(out);
    }

    /** PEFT's saved names of {@link #trainable()}, in the same order. */
    public List<String> trainableNames() {
        List<String> out = new ArrayList<>();
        layers.forEach(l -> {
            out.add(KEY_PREFIX + l.modulePath() + ".lora_A.weight");
            out.add(KEY_PREFIX + l.modulePath() + ".lora_B.weight");
        });
        return Collections.unmodifiableList(out);
    }

    public long parameterCount() {
        return trainable().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** The leaf module names targeted (what PEFT writes to target_modules after matching). */
    public List<String> targetNames() {
        return layers.stream().map(l -> l.modulePath().substring(l.modulePath().lastIndexOf('.') + 1)).distinct().sorted().toList();
    }

    /** The tensors as PEFT saves them, keyed by PEFT's names. */
    public SortedMap<String, NDArray> stateDict() {
        SortedMap<String, NDArray> out = new TreeMap<>();
        for (LoraLayer l : layers) {
            out.put(KEY_PREFIX + l.modulePath() + ".lora_A.weight", l.a());
            out.put(KEY_PREFIX + l.modulePath() + ".lora_B.weight", l.b());
        }
        return out;
    }

    public void merge() {
        layers.forEach(LoraLayer::merge);
    }

    public void unmerge() {
        layers.forEach(LoraLayer::unmerge);
    }
}

package dev.quiver.runner.lora;

import dev.quiver.runner.TrainerException;

/** The LoRA hyper-parameters PEFT records in adapter_config.json. */
public record LoraSpec(int r, double alpha, double dropout, TargetModules targets, boolean useRslora) {
    public LoraSpec {
        if (r <= 0) {
            throw new TrainerException("LoRA rank r must be positive, got " + r);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new TrainerException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new TrainerException("lora_alpha must be positive, got " + alpha);
        }
    }

    /** PEFT's scaling: alpha / r, or alpha / sqrt(r) with rsLoRA. */
    public double scaling() {
        return useRslora ? alpha / Math.sqrt(r) : alpha / r;
    }
}

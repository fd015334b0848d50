package dev.quiver.runner.train;

import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraSpec;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import java.nio.file.Path;

/** Everything one local training run needs: where the base model, data and output are, and the settings. */
public record TrainRequest(Path base, TrainingData.Source data, int maxLength, LoraSpec lora,
        TrainingSettings training, BaseModelName baseName, Path out) {}

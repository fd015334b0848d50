package dev.quiver.runner.train;

/** What one optimizer step did: mean loss over its trained tokens, the learning rate used, the gradient norm before clipping. */
public record StepMetrics(long step, long totalSteps, int epoch, double loss, double learningRate, double gradNorm,
        double tokensPerSecond, long residentBytes) {}

package dev.quiver.runner.train;

/**
 * What one optimizer step did: mean loss over its trained tokens, the learning rate used, the gradient
 * norm before clipping, the tokens it read (padding excluded) and how fast, and resident memory after it.
 */
public record StepMetrics(long step, long totalSteps, int epoch, double loss, double learningRate, double gradNorm,
        long tokens, double tokensPerSecond, long residentBytes) {}

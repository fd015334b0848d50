package dev.quiver.runner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.TokenizedExample;
import dev.quiver.runner.data.TrainingData;
import dev.quiver.runner.lora.LoraAdapter;
import dev.quiver.runner.model.CausalLm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The training loop: seeded shuffling and dropout, gradient accumulation, global-norm clipping,
 * scheduled AdamW, eval loss before training and after every epoch. Each optimizer step runs in
 * its own {@link NDScope}, so every intermediate array is freed and memory stays flat.
 */
public final class Trainer {
    /** What a run produced, for metrics.json and the model card. */
    public record Result(double baseEvalLoss, double finalEvalLoss, List<Double> evalLossPerEpoch, long steps,
            long tokens, double seconds, long peakResidentBytes, List<StepMetrics> history) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    private Trainer() {}

    public static Result train(CausalLm model, LoraAdapter adapter, TrainingData data, TrainingSettings s,
            TrainingListener listener) {
        Engine.getInstance().setRandomSeed((int) s.seed());
        List<NDArray> params = adapter.trainable();
        AdamW optimizer = new AdamW(params, 0.9, 0.999, 1e-8, s.weightDecay());
        int perStep = s.batchSize() * s.gradientAccumulation();
        long stepsPerEpoch = (data.train().size() + perStep - 1) / perStep;
        long total = s.maxSteps().isPresent() ? s.maxSteps().getAsInt() : stepsPerEpoch * s.epochs();
        long warmup = (long) Math.ceil(total * s.warmupRatio());
        long padId = 0;

        double baseEval = Evaluator.loss(model, data.eval(), s.batchSize());
        listener.onEval(0, baseEval);
        List<Double> evals = new ArrayList<>();
        List<StepMetrics> history = new ArrayList<>();
        Random shuffler = new Random(s.seed());
        long step = 0;
        long tokens = 0;
        long start = System.nanoTime();
        int epoch = 0;
        while (step < total) {
            epoch++;
            List<TokenizedExample> order = new ArrayList<>(data.train());
            Collections.shuffle(order, shuffler);
            for (int from = 0; from < order.size() && step < total; from += perStep) {
                List<TokenizedExample> group = order.subList(from, Math.min(order.size(), from + perStep));
                long stepStart = System.nanoTime();
                try (NDScope scope = new NDScope()) {
                    StepOutcome o = accumulate(model, group, s.batchSize(), padId);
                    if (!Double.isFinite(o.loss())) {
                        throw new TrainerException("training loss became " + o.loss() + " at step " + (step + 1)
                                + " (non-finite base weights, or a learning rate too high)");
                    }
                    double gradNorm = GradientClipper.clip(params, s.maxGradNorm());
                    double lr = s.learningRate() * s.schedule().multiplier(step, warmup, total);
                    optimizer.update(lr);
                    step++;
                    tokens += o.tokens();
                    double secs = (System.nanoTime() - stepStart) / 1e9;
                    StepMetrics m = new StepMetrics(step, total, epoch, o.loss(), lr, gradNorm, o.tokens() / secs,
                            MemoryProbe.residentBytes());
                    history.add(m);
                    listener.onStep(m);
                }
            }
            double eval = Evaluator.loss(model, data.eval(), s.batchSize());
            evals.add(eval);
            listener.onEval(epoch, eval);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(baseEval, evals.get(evals.size() - 1), List.copyOf(evals), step, tokens, seconds,
                MemoryProbe.peakResidentBytes(), List.copyOf(history));
    }

    private record StepOutcome(double loss, long tokens) {}

    /** Forward and backward over the micro-batches of one step; the loss is the mean over all their trained tokens. */
    private static StepOutcome accumulate(CausalLm model, List<TokenizedExample> group, int batchSize, long padId) {
        List<Batch> batches = new ArrayList<>();
        long trained = 0;
        long tokens = 0;
        for (int i = 0; i < group.size(); i += batchSize) {
            Batch b = Batch.of(group.subList(i, Math.min(group.size(), i + batchSize)), padId, model.manager());
            batches.add(b);
            trained += b.trainedTokens();
            tokens += b.tokens();
        }
        double lossSum = 0;
        for (Batch b : batches) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray sum = b.lossSum(model.logits(b.ids(), true));
                lossSum += sum.getFloat();
                gc.backward(sum.div((float) Math.max(1, trained)));
            }
        }
        return new StepOutcome(lossSum / Math.max(1, trained), tokens);
    }
}

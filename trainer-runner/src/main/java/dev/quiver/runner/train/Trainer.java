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
import dev.quiver.runner.model.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The training loop: seeded shuffling and dropout, gradient accumulation, global-norm clipping,
 * scheduled AdamW, eval loss before training and after every epoch, checkpoints and resuming. Each
 * optimizer step runs in its own {@link NDScope}, so every intermediate array is freed and memory stays flat.
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
        return train(model, adapter, data, s, listener, CheckpointStore.NONE);
    }

    /**
     * Trains, or resumes from the checkpoint {@code checkpoints} restores, and offers it the state
     * after every step. All randomness after initialisation comes from one {@link TrainRandom}: each
     * epoch's order, and the engine seed (dropout) drawn before each step. So the run's state between
     * steps is exactly a {@link TrainProgress}, and a resumed run repeats the uninterrupted one bit for bit.
     */
    public static Result train(CausalLm model, LoraAdapter adapter, TrainingData data, TrainingSettings s,
            TrainingListener listener, CheckpointStore checkpoints) {
        List<NDArray> params = adapter.trainable();
        AdamW optimizer = new AdamW(params, 0.9, 0.999, 1e-8, s.weightDecay());
        int perStep = s.batchSize() * s.gradientAccumulation();
        List<TokenizedExample> train = data.train();
        long stepsPerEpoch = (train.size() + perStep - 1) / perStep;
        long total = s.maxSteps().isPresent() ? s.maxSteps().getAsInt() : stepsPerEpoch * s.epochs();
        long warmup = (long) Math.ceil(total * s.warmupRatio());
        long padId = 0;

        Optional<TrainProgress> resumed = checkpoints.resume(optimizer);
        double baseEval = resumed.map(TrainProgress::baseEvalLoss)
                .orElseGet(() -> Evaluator.loss(model, data.eval(), s.batchSize()));
        if (resumed.isEmpty()) {
            listener.onEval(0, baseEval);
        }
        TrainProgress p = resumed.orElseGet(
                () -> new TrainProgress(0, 0, new int[0], 0, s.seed(), 0, 0, baseEval, List.of(), List.of()));
        List<Double> evals = new ArrayList<>(p.evalLossPerEpoch());
        List<StepMetrics> history = new ArrayList<>(p.history());
        TrainRandom random = new TrainRandom(p.randomState());
        long step = p.step();
        long tokens = p.tokens();
        int epoch = p.epoch();
        int[] order = p.order();
        int position = p.position();
        double earlier = p.seconds();
        long start = System.nanoTime();
        while (true) {
            boolean finished = step >= total;
            if (order.length > 0 && (position >= order.length || finished)) {
                double eval = Evaluator.loss(model, data.eval(), s.batchSize());
                evals.add(eval);
                listener.onEval(epoch, eval);
                order = new int[0];
            }
            if (finished) {
                break;
            }
            if (order.length == 0) {
                epoch++;
                order = random.permutation(train.size());
                position = 0;
            }
            List<TokenizedExample> group = new ArrayList<>();
            for (int i = position; i < Math.min(order.length, position + perStep); i++) {
                group.add(train.get(order[i]));
            }
            long stepStart = System.nanoTime();
            Engine.getInstance().setRandomSeed((int) random.nextLong());
            try (NDScope scope = new NDScope()) {
                StepOutcome o = accumulate(model, group, s.batchSize(), padId);
                if (!Double.isFinite(o.loss())) {
                    throw new TrainerException("training loss became " + o.loss() + " at step " + (step + 1)
                            + "; lower the learning rate (or check the base model and data)");
                }
                double gradNorm = GradientClipper.clip(params, s.maxGradNorm());
                double lr = s.learningRate() * s.schedule().multiplier(step, warmup, total);
                optimizer.update(lr);
                step++;
                position += group.size();
                tokens += o.tokens();
                double secs = (System.nanoTime() - stepStart) / 1e9;
                StepMetrics m = new StepMetrics(step, total, epoch, o.loss(), lr, gradNorm, o.tokens(), o.tokens() / secs,
                        MemoryProbe.residentBytes());
                history.add(m);
                listener.onStep(m);
            }
            if (checkpoints.due(step)) {
                checkpoints.save(new TrainProgress(step, epoch, order, position, random.state(), tokens,
                        earlier + (System.nanoTime() - start) / 1e9, baseEval, evals, history), optimizer);
            }
        }
        double seconds = earlier + (System.nanoTime() - start) / 1e9;
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
                gc.backward(Scalars.div(sum, Math.max(1, trained)));
            }
        }
        return new StepOutcome(lossSum / Math.max(1, trained), tokens);
    }
}

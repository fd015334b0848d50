package dev.quiver.runner.train;

import java.util.List;

/**
 * Where a run stands between optimizer steps, beyond the weights and the optimizer's moments: the
 * epoch, its shuffled order and the position in it, the random state, counters, and what was
 * measured so far. A checkpoint saves it; resuming from it continues exactly where the run was.
 *
 * @param order the epoch's example order; empty before the first epoch and once an epoch's eval is done
 */
public record TrainProgress(long step, int epoch, int[] order, int position, long randomState, long tokens,
        double seconds, double baseEvalLoss, List<Double> evalLossPerEpoch, List<StepMetrics> history) {
    public TrainProgress {
        order = order.clone();
        evalLossPerEpoch = List.copyOf(evalLossPerEpoch);
        history = List.copyOf(history);
    }

    @Override
    public int[] order() {
        return order.clone();
    }
}

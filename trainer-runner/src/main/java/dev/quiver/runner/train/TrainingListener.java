package dev.quiver.runner.train;

/** Receives progress as training runs (a progress bar, a metrics file, the hub's job log). */
public interface TrainingListener {
    void onStep(StepMetrics metrics);

    /** Called with eval loss before training (epoch 0, the base model) and after each epoch. */
    void onEval(int epoch, double evalLoss);
}

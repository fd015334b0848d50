package dev.quiver.runner;

import dev.quiver.runner.train.StepMetrics;
import dev.quiver.runner.train.TrainingListener;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Shows training on a terminal: a progress bar with loss and speed, and eval losses as lines. */
final class ProgressReporter implements TrainingListener {
    private final boolean quiet;
    private Optional<ProgressBar> bar = Optional.empty();

    ProgressReporter(boolean quiet) {
        this.quiet = quiet;
    }

    @Override
    public void onStep(StepMetrics m) {
        if (quiet) {
            return;
        }
        ProgressBar b = bar.orElseGet(() -> new ProgressBarBuilder().setTaskName("train").setInitialMax(m.totalSteps()).build());
        bar = Optional.of(b);
        b.stepTo(m.step());
        b.setExtraMessage(String.format("loss %.3f lr %.2e %.0f tok/s", m.loss(), m.learningRate(), m.tokensPerSecond()));
        if (m.step() == m.totalSteps()) {
            b.close();
        }
    }

    @Override
    public void onEval(int epoch, double evalLoss) {
        if (!quiet) {
            System.err.printf("%neval loss after epoch %d: %.4f%n", epoch, evalLoss);
        }
    }
}

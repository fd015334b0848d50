package dev.quiver.runner.train;

import java.util.Optional;

/** What the training loop asks of checkpointing: where to start from, and when and what to save. */
public interface CheckpointStore {
    /** Neither resumes nor writes. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public Optional<TrainProgress> resume(AdamW optimizer) {
            return Optional.empty();
        }

        @Override
        public boolean due(long step) {
            return false;
        }

        @Override
        public void save(TrainProgress progress, AdamW optimizer) {}
    };

    /** Restores the adapter and {@code optimizer} from a checkpoint and returns where the run stood, if resuming. */
    Optional<TrainProgress> resume(AdamW optimizer);

    /** Whether to save after optimizer step {@code step} (counted from 1). */
    boolean due(long step);

    /** Saves the adapter, {@code optimizer} and the run's state after a step it was {@link #due} for. */
    void save(TrainProgress progress, AdamW optimizer);
}

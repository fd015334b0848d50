package dev.quiver.runner.train;

import dev.quiver.runner.TrainerException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether and where a run checkpoints, and the checkpoint it resumes from.
 *
 * @param every write a checkpoint after every this many optimizer steps; 0 for none
 * @param dir where the {@code checkpoint-<step>} folders go; needed when {@code every > 0}
 * @param resumeFrom a checkpoint folder, or a folder of them (the newest is taken)
 */
public record Checkpointing(int every, Optional<Path> dir, Optional<Path> resumeFrom) {
    public Checkpointing {
        if (every < 0) {
            throw new TrainerException("checkpoint interval must be 0 (none) or positive, got " + every);
        }
        if (every > 0 && dir.isEmpty()) {
            throw new TrainerException("checkpointing needs a folder to write to");
        }
    }

    public static Checkpointing none() {
        return new Checkpointing(0, Optional.empty(), Optional.empty());
    }
}

package dev.quiver.server.jobs;

/**
 * Everything a runner needs to run a job, pinned to exact commits: the adapter repo and the commit
 * the job starts from, the recipe text (and its git blob id), the dataset and base model at exact
 * commits, and what triggered the job.
 */
public record JobSpec(String adapterRepo, String adapterCommit, String recipe, String recipeBlob,
        String datasetRepo, String datasetCommit, String baseRepo, String baseCommit, String trigger) {
}

package dev.quiver.server.jobs;

/** What a job asks a runner to do. */
public enum JobKind {
    /** Train the adapter from its recipe on a dataset commit, verify it, and commit it. */
    TRAIN,
    /** Check an adapter commit dynamically against its base model (load, eval, merge, sample). */
    VERIFY
}

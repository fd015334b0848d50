package dev.quiver.server.jobs;

import java.util.Locale;

/** {@code queued -> running -> succeeded | failed | cancelled}. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The HF Jobs API stage clients show for this status. */
    public String hfStage() {
        return switch (this) {
            case QUEUED, RUNNING -> "RUNNING";
            case SUCCEEDED -> "COMPLETED";
            case FAILED -> "ERROR";
            case CANCELLED -> "CANCELED";
        };
    }
}

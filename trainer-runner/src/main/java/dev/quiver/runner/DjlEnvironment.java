package dev.quiver.runner;

/**
 * Settings DJL reads from system properties, applied before the engine first loads. The runner
 * must work with no network: the PyTorch native library comes from the CPU jar on the classpath,
 * and DJL must neither download anything nor call home.
 */
public final class DjlEnvironment {
    private DjlEnvironment() {}

    /** Sets the offline and tracking properties unless the caller set them already. */
    public static void configure() {
        setDefault("ai.djl.offline", "true");
        setDefault("OPT_OUT_TRACKING", "true");
        // Sequence lengths change from batch to batch; TorchScript's profiling optimiser only adds cost.
        setDefault("ai.djl.pytorch.graph_optimizer", "false");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

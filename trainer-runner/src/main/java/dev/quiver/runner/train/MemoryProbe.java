package dev.quiver.runner.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process memory from /proc/self/status: resident now (VmRSS) and its peak (VmHWM). Native tensors
 * live outside the Java heap, so the JVM's own figures would miss them. 0 where /proc is absent.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static long residentBytes() {
        return field("VmRSS:");
    }

    public static long peakResidentBytes() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}

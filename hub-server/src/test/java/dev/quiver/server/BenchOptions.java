package dev.quiver.server;

import java.util.HashMap;
import java.util.Map;

/** The integer {@code --name N} options of a benchmark's main class. */
public final class BenchOptions {
    private BenchOptions() {
    }

    /** {@code defaults} overridden by {@code args}; an option not among the defaults is an error that lists them. */
    public static Map<String, Integer> parse(String[] args, Map<String, Integer> defaults) {
        Map<String, Integer> opt = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!opt.containsKey(key) || i + 1 == args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; known: "
                        + opt.keySet());
            }
            opt.put(key, Integer.parseInt(args[i + 1]));
        }
        return opt;
    }
}

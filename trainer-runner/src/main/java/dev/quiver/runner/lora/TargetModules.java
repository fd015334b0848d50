package dev.quiver.runner.lora;

import dev.quiver.runner.TrainerException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which projections get a LoRA branch, matched against module paths as PEFT matches them:
 * a name list (equal to the path or its last dotted parts), a regex (full match), or all-linear.
 */
public sealed interface TargetModules {
    boolean matches(String modulePath);

    /** PEFT's list form: {@code path == name || path.endsWith("." + name)}. */
    record Names(List<String> names) implements TargetModules {
        public Names {
            names = List.copyOf(names);
            if (names.isEmpty()) {
                throw new TrainerException("target_modules is empty");
            }
        }

        @Override
        public boolean matches(String path) {
            return names.stream().anyMatch(n -> path.equals(n) || path.endsWith("." + n));
        }
    }

    /** PEFT's string form: a regex that must match the whole module path. */
    record Regex(String pattern) implements TargetModules {
        public Regex {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new TrainerException("target_modules regex is invalid: " + e.getDescription());
            }
        }

        @Override
        public boolean matches(String path) {
            return Pattern.matches(pattern, path);
        }
    }

    /** Every linear projection except the output head (which the model does not list as a target). */
    record AllLinear() implements TargetModules {
        @Override
        public boolean matches(String path) {
            return true;
        }
    }

    /** Parses a flag or recipe value: "all-linear", a comma list of names, or "re:" followed by a regex. */
    static TargetModules parse(List<String> values) {
        if (values.size() == 1 && values.get(0).equals("all-linear")) {
            return new AllLinear();
        }
        if (values.size() == 1 && values.get(0).startsWith("re:")) {
            return new Regex(values.get(0).substring(3));
        }
        return new Names(values);
    }
}

package dev.quiver.schema.recipe;

import java.util.Optional;

/** Git's rules for a branch name ({@code git check-ref-format --branch}), with the reason a name breaks them. */
final class BranchNames {

    private static final String FORBIDDEN = " ~^:?*[\\";

    private BranchNames() {
    }

    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (name.startsWith("-") || name.startsWith("refs/")) {
            return Optional.of("it may not start with '-' or 'refs/'");
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return Optional.of("its '/'-separated parts may not be empty");
        }
        if (name.contains("..") || name.contains("@{") || name.equals("@")) {
            return Optional.of("it may not contain '..' or '@{' or be '@'");
        }
        if (name.endsWith(".") || name.endsWith(".lock") || name.startsWith(".") || name.contains("/.")) {
            return Optional.of("no part may start with '.' or end with '.lock', and the name may not end with '.'");
        }
        for (char c : name.toCharArray()) {
            if (c < 0x20 || c == 0x7f || FORBIDDEN.indexOf(c) >= 0) {
                return Optional.of("it may not contain spaces, control characters or any of ~^:?*[\\");
            }
        }
        return Optional.empty();
    }
}

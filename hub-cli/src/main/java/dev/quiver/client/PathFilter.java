package dev.quiver.client;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include/exclude globs over repository paths with huggingface_hub's semantics
 * ({@code filter_repo_objects}): shell-style {@code fnmatch} patterns in which {@code *} also matches
 * {@code /}; a pattern ending in {@code /} means everything under that folder; a path is kept when it
 * matches some include pattern (or there are none) and no exclude pattern.
 */
public record PathFilter(List<String> include, List<String> exclude) {
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    public PathFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean matches(String path) {
        if (!include.isEmpty() && include.stream().noneMatch(p -> fnmatch(p, path))) {
            return false;
        }
        return exclude.stream().noneMatch(p -> fnmatch(p, path));
    }

    /** Python's {@code fnmatch.fnmatchcase} after adding {@code *} to a pattern that ends in {@code /}. */
    static boolean fnmatch(String pattern, String path) {
        String p = pattern.endsWith("/") ? pattern + "*" : pattern;
        return toRegex(p).matcher(path).matches();
    }

    /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; a lone {@code [} is literal. */
    static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append(".*");
                while (i < n && glob.charAt(i) == '*') {
                    i++;
                }
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String body = glob.substring(i, j);
                    i = j + 1;
                    StringBuilder set = new StringBuilder("[");
                    int k = 0;
                    if (body.startsWith("!")) {
                        set.append('^');
                        k = 1;
                    }
                    for (; k < body.length(); k++) {
                        char b = body.charAt(k);
                        // escape what Java's class syntax would read specially; '-' keeps its range meaning
                        if (b == '\\' || b == '[' || b == ']' || b == '&' || b == '^') {
                            set.append('\\');
                        }
                        set.append(b);
                    }
                    re.append(set).append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}

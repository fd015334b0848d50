package dev.quiver.server.repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;

/** A repository's root {@code .gitattributes}, read for one question: which paths does git-lfs track? */
public final class GitAttributes {
    public static final String PATH = ".gitattributes";

    private final byte[] content;
    private final List<AttributesRule> rules;

    private GitAttributes(byte[] content, List<AttributesRule> rules) {
        this.content = content;
        this.rules = rules;
    }

    public static GitAttributes parse(byte[] content) {
        AttributesNode node = new AttributesNode();
        try {
            node.parse(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GitAttributes(content, node.getRules());
    }

    /** True when the last rule matching {@code path} that mentions {@code filter} says {@code filter=lfs}. */
    public boolean isLfs(String path) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            AttributesRule rule = rules.get(i);
            if (!rule.isMatch(path, false)) {
                continue;
            }
            for (Attribute a : rule.getAttributes()) {
                if (a.getKey().equals("filter")) {
                    return a.getState() == Attribute.State.SET && "lfs".equals(a.getValue())
                            || a.getState() == Attribute.State.CUSTOM && "lfs".equals(a.getValue());
                }
            }
        }
        return false;
    }

    /** The file with a rule appended that makes git-lfs track exactly {@code path}. */
    public byte[] withLfsPath(String path) {
        String text = new String(content, StandardCharsets.UTF_8);
        String escaped = path.replace("\\", "\\\\").replace(" ", "[[:space:]]");
        String line = escaped + " filter=lfs diff=lfs merge=lfs -text\n";
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return (text + sep + line).getBytes(StandardCharsets.UTF_8);
    }
}

package dev.quiver.schema.json;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Quotes every string that YAML would otherwise read as a number, boolean, null or date.
 * Jackson's own check misses forms such as {@code 0x1F} and {@code 1e3}, which would come
 * back as numbers; asking SnakeYAML's resolver, the one that reads the text back, closes
 * that gap.
 */
final class UntypedStringQuoting extends StringQuotingChecker.Default {

    private static final Resolver RESOLVER = new Resolver();

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
    }
}

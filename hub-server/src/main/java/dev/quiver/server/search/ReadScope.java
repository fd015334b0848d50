package dev.quiver.server.search;

import dev.quiver.server.auth.Caller;
import dev.quiver.server.auth.Permissions;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Which repositories a caller may find: every public one, plus the private ones of owners the caller
 * may read for. Applied as a filter inside the query, so private repositories count in no facet
 * either.
 *
 * @param everything whether the caller sees every repository (an admin)
 * @param owners owners whose private repositories the caller sees
 */
public record ReadScope(boolean everything, Set<String> owners) {
    public ReadScope {
        owners = Set.copyOf(owners);
    }

    /** What {@link Permissions#canRead} lets {@code caller} read, as a scope. */
    public static ReadScope of(Caller caller, Permissions permissions) {
        if (caller.isAdmin() && !caller.isLimited()) {
            return new ReadScope(true, Set.of());
        }
        return new ReadScope(false, permissions.readableOwners(caller));
    }

    /** The filter to add to every query; none for a caller who sees everything. */
    Optional<Query> filter() {
        if (everything) {
            return Optional.empty();
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new TermQuery(new Term(IndexSchema.PRIVATE, IndexSchema.PUBLIC)), Occur.SHOULD);
        owners.forEach(owner -> b.add(new TermQuery(new Term(IndexSchema.OWNER, owner)), Occur.SHOULD));
        return Optional.of(b.build());
    }
}

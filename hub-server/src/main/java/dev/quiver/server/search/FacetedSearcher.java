package dev.quiver.server.search;

import java.io.IOException;
import java.util.Optional;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;

/**
 * A searcher with the facet ordinals of its reader, built once per refresh rather than per query
 * (building them walks every facet value). An index without any facet value has no state.
 */
final class FacetedSearcher extends IndexSearcher {
    private final FacetsConfig config;
    private final Optional<SortedSetDocValuesReaderState> facetState;

    private FacetedSearcher(IndexReader reader, FacetsConfig config) throws IOException {
        super(reader);
        this.config = config;
        FieldInfo facetField = FieldInfos.getMergedFieldInfos(reader).fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
        this.facetState = facetField == null ? Optional.empty()
                : Optional.of(new DefaultSortedSetDocValuesReaderState(reader, config));
    }

    FacetsConfig config() {
        return config;
    }

    Optional<SortedSetDocValuesReaderState> facetState() {
        return facetState;
    }

    /** Makes a {@link FacetedSearcher} for every reader the manager opens. */
    static final class Factory extends SearcherFactory {
        private final FacetsConfig config;

        Factory(FacetsConfig config) {
            this.config = config;
        }

        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) throws IOException {
            return new FacetedSearcher(reader, config);
        }
    }
}

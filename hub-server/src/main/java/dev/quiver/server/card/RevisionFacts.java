package dev.quiver.server.card;

import dev.quiver.schema.card.ModelCard;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.Revision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * What one revision of a repository is, as the API, the web UI and the search index describe it:
 * its commit and date, its model card, the tags the Hub derives from them, the adapter it holds (if
 * any) and the parameter counts of its safetensors files. Free of HTTP; read from git and the blob
 * store without loading any large file (safetensors are read up to the end of their header).
 *
 * @param lastModified the commit's committer date
 * @param card the README front matter and body; empty when there is no README or it does not parse
 */
public record RevisionFacts(RepoId repo, String sha, Instant lastModified, ModelCard card, List<String> tags,
        Optional<AdapterSummary> adapter, Optional<SafetensorsTotals> safetensors) {
    public RevisionFacts {
        tags = List.copyOf(tags);
    }

    /**
     * Reads the facts of {@code rev}. Broken content never fails a read: a README whose front matter
     * does not parse gives an empty card, an unreadable adapter config no adapter, and a malformed
     * safetensors header is left out of the totals.
     */
    public static RevisionFacts read(Repository git, RepoId repo, Revision rev, BlobStore blobs) {
        return new RevisionReader(git, rev.commit(), blobs).facts(repo);
    }

    /** {@code library_name} from the card, if it names one. */
    public Optional<String> libraryName() {
        return card.string("library_name");
    }

    /** {@code pipeline_tag} from the card, if it names one. */
    public Optional<String> pipelineTag() {
        return card.string("pipeline_tag");
    }
}

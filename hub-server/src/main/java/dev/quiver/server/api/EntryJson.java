package dev.quiver.server.api;

import dev.quiver.schema.lfs.LfsPointer;
import dev.quiver.server.card.RepoEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The JSON shapes of files: tree and paths-info entries ({@code lfs.oid}) and repo-info siblings
 * ({@code lfs.sha256}), as the HF clients read them. No {@code xetHash} is ever written: the Python
 * client would then skip its HEAD request and try a Xet download this hub does not offer.
 */
final class EntryJson {
    private EntryJson() {
    }

    static Map<String, Object> treeEntry(RepoEntry e, Optional<RevCommit> lastCommit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.directory() ? "directory" : "file");
        m.put("oid", e.oid());
        m.put("size", e.size());
        m.put("path", e.path());
        e.lfs().ifPresent(p -> m.put("lfs", lfs("oid", p, e.blobSize())));
        lastCommit.ifPresent(c -> m.put("lastCommit", Map.of("id", c.name(), "title", c.getShortMessage(),
                "date", Dates.iso(c.getCommitterIdent().getWhenAsInstant()))));
        return m;
    }

    static Map<String, Object> sibling(RepoEntry e, boolean blobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rfilename", e.path());
        if (blobs) {
            m.put("size", e.size());
            m.put("blobId", e.oid());
            e.lfs().ifPresent(p -> m.put("lfs", lfs("sha256", p, e.blobSize())));
        }
        return m;
    }

    private static Map<String, Object> lfs(String oidKey, LfsPointer p, long pointerSize) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(oidKey, p.oid());
        m.put("size", p.size());
        m.put("pointerSize", pointerSize);
        return m;
    }
}

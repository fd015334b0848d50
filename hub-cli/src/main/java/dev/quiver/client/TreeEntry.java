package dev.quiver.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A file or directory in a repository tree ({@code /tree/} and {@code /paths-info/}). For a file,
 * {@code oid} is the git blob sha1 and {@code lfs} holds the sha256 of an LFS-stored file; the one
 * that names the content is the {@link #etag()} the HF cache keys blobs by.
 */
public record TreeEntry(String type, String path, String oid, long size, Optional<Lfs> lfs,
        Optional<LastCommit> lastCommit) {

    /** The LFS part of a file entry: sha256 of the content, its size, and the pointer's size. */
    public record Lfs(String oid, long size, long pointerSize) {
    }

    /** The last commit that touched an entry, when the listing was expanded. */
    public record LastCommit(String id, String title, String date) {
    }

    public boolean isFile() {
        return type.equals("file");
    }

    /** The sha256 for LFS files, the git sha1 otherwise: what the hub sends as ETag and the cache's blob name. */
    public String etag() {
        return lfs.map(Lfs::oid).orElse(oid);
    }

    static TreeEntry from(JsonNode n) {
        JsonNode l = n.path("lfs");
        Optional<Lfs> lfs = l.isObject()
                ? Optional.of(new Lfs(l.path("oid").asText(l.path("sha256").asText("")), l.path("size").asLong(0),
                        l.path("pointerSize").asLong(0)))
                : Optional.empty();
        JsonNode c = n.path("lastCommit");
        Optional<LastCommit> last = c.isObject()
                ? Optional.of(new LastCommit(c.path("id").asText(""), c.path("title").asText(""), c.path("date").asText("")))
                : Optional.empty();
        return new TreeEntry(n.path("type").asText("file"), n.path("path").asText(""), n.path("oid").asText(""),
                n.path("size").asLong(0), lfs, last);
    }
}

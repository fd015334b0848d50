package dev.quiver.server.lfs;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Content-addressed storage of large files, keyed by the lower-case hex sha256 of their bytes. An
 * object is visible only once its bytes were verified against its id and size; a failed or
 * interrupted upload leaves nothing behind.
 */
public interface BlobStore {
    Pattern OID = Pattern.compile("[0-9a-f]{64}");

    boolean contains(String oid);

    /** Size in bytes of a stored object. */
    Optional<Long> size(String oid);

    /** The object's file, for zero-copy serving; empty when the store is not a local filesystem. */
    Optional<Path> file(String oid);

    /** Opens a stored object at {@code offset}. */
    InputStream open(String oid, long offset);

    /**
     * Stores {@code size} bytes from {@code in} as {@code oid}. Throws a {@code BAD_REQUEST}
     * {@link dev.quiver.server.QuiverException} if the bytes do not hash to {@code oid} or their
     * count differs from {@code size}; nothing is stored then.
     */
    void put(String oid, long size, InputStream in);

    /**
     * Writes one part of an object being uploaded in parts under {@code uploadId}: {@code length}
     * bytes at {@code offset}. Parts may come in any order and at once. Returns the part's checksum,
     * which clients echo back as its ETag.
     */
    String writePart(String uploadId, long offset, long length, InputStream in);

    /** Publishes an object uploaded in parts once its bytes hash to {@code oid}; else nothing is stored. */
    void completeParts(String uploadId, String oid, long size);

    static boolean isOid(String s) {
        return s != null && OID.matcher(s).matches();
    }
}

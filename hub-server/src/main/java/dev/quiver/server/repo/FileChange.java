package dev.quiver.server.repo;

import dev.quiver.schema.lfs.LfsPointer;

/** One change a commit makes to a repository's tree. */
public sealed interface FileChange {
    RepoPath path();

    /** Adds or replaces a regular file stored in git. */
    record Put(RepoPath path, byte[] content) implements FileChange {
    }

    /** Adds or replaces a large file: git stores the pointer, the blob store holds the bytes. */
    record PutLfs(RepoPath path, LfsPointer pointer) implements FileChange {
    }

    /** Removes a file; 404 {@code EntryNotFound} if there is none. */
    record Delete(RepoPath path) implements FileChange {
    }

    /** Removes a folder and everything below it; 404 {@code EntryNotFound} if there is none. */
    record DeleteFolder(RepoPath path) implements FileChange {
    }
}

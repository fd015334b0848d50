package dev.quiver.client;

import java.nio.file.Path;

/** A file on this machine and the path it gets in the repository. */
public record LocalFile(Path source, String pathInRepo) {
    public LocalFile {
        RepoFilePath.check(pathInRepo);
    }
}

package dev.quiver.cli;

import dev.quiver.client.RepoRef;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code REPO [--repo-type TYPE] [--revision REV]}: what the read-only commands (info, ls, log) look at. */
final class RepoAtRevision {
    @Mixin
    RepoArgument repo;

    @Option(names = "--revision", defaultValue = "main", paramLabel = "REV", description = "Branch, tag, commit (default: ${DEFAULT-VALUE}).")
    String revision;

    RepoRef ref() {
        return repo.ref();
    }
}

package dev.quiver.cli;

import dev.quiver.client.RepoRef;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code REPO [--repo-type TYPE]}: the repository a command works on, as its first argument. */
final class RepoArgument {
    @Parameters(index = "0", paramLabel = "REPO", description = "namespace/name")
    String id;

    @Mixin
    RepoOptions type;

    /** The repository, its id checked against the Hub's naming rule. */
    RepoRef ref() {
        return type.repo(id);
    }
}

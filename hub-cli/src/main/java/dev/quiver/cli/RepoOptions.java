package dev.quiver.cli;

import dev.quiver.client.RepoRef;
import dev.quiver.schema.repo.RepoType;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --repo-type}, shared by every command that names a repository. */
final class RepoOptions {
    @Option(names = "--repo-type", paramLabel = "TYPE", defaultValue = "model", converter = TypeConverter.class,
            completionCandidates = TypeCandidates.class,
            description = "model, dataset or space (default: ${DEFAULT-VALUE}).")
    RepoType type = RepoType.MODEL;

    RepoRef repo(String id) {
        return new RepoRef(type, id);
    }

    static final class TypeConverter implements ITypeConverter<RepoType> {
        @Override
        public RepoType convert(String value) {
            return RepoType.parse(value);
        }
    }

    static final class TypeCandidates extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        TypeCandidates() {
            super(List.of("model", "dataset", "space"));
        }
    }
}

package dev.quiver.schema.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Broken recipes are refused with every problem listed, each naming its path. */
class RecipeHostileInputTest {

    private static List<String> errors(String yaml) {
        return catchThrowableOfType(RecipeException.class, () -> Recipe.parse(yaml)).errors();
    }

    @Test
    void manyProblemsAtOnceAreAllListed() {
        List<String> errors = errors("""
                base_model: {repo: tiny-llama, revision: main}
                dataset:
                  repo: acme/support-qa
                  format: template
                  files: []
                  eval: {fraction: 1.5}
                lora: {r: 0, alpha: -1, rank: 8}
                training: {epochs: "three", learning_rate: 0, schedule: exponential}
                output: {branch: main, candidate_branch: main}
                extra: true
                """);

        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("base_model.repo: ").contains("owner/name"))
                .anySatisfy(e -> assertThat(e).startsWith("base_model.revision: ").contains("40"))
                .anySatisfy(e -> assertThat(e).startsWith("dataset.template: is required"))
                .anySatisfy(e -> assertThat(e).startsWith("dataset.files: "))
                .anySatisfy(e -> assertThat(e).startsWith("dataset.eval.fraction: "))
                .anySatisfy(e -> assertThat(e).startsWith("lora.r: "))
                .anySatisfy(e -> assertThat(e).startsWith("lora.alpha: "))
                .anySatisfy(e -> assertThat(e).isEqualTo("lora.rank: is not a known setting"))
                .anySatisfy(e -> assertThat(e).startsWith("training.epochs: "))
                .anySatisfy(e -> assertThat(e).startsWith("training.learning_rate: "))
                .anySatisfy(e -> assertThat(e).startsWith("training.schedule: "))
                .anySatisfy(e -> assertThat(e).startsWith("output.candidate_branch: must differ"))
                .anySatisfy(e -> assertThat(e).isEqualTo("extra: is not a known setting"));
        assertThat(errors).hasSize(13);
    }

    @Test
    void missingRequiredSectionsAreNamed() {
        assertThat(errors("lora: {r: 8}\n")).containsExactlyInAnyOrder("base_model: is required", "dataset: is required");
        assertThat(errors("base_model: {}\ndataset: {repo: a/b}\n")).containsExactly("base_model.repo: is required");
    }

    @Test
    void templateWithoutPlaceholdersIsRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, format: template, template: plain text}\n"))
                .containsExactly("dataset.template: must contain at least one {field} placeholder filled from each row");
    }

    @Test
    void templateWithAnotherFormatIsRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, format: qa, template: \"{q}\"}\n"))
                .singleElement().asString().startsWith("dataset.template: is only used with format: template");
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, template: \"{q}\"}\n"))
                .singleElement().asString().endsWith("dataset.format is text");
    }

    @Test
    void malformedRepositoryIdsAreRefused() {
        for (String id : List.of("acme", "acme/x/y", "/x", "acme/", "ac--me/x", "acme/x..y", "acme/x.git", "-acme/x",
                "acme/x y", "a/" + "x".repeat(100))) {
            assertThat(errors("base_model: {repo: \"" + id + "\"}\ndataset: {repo: a/b}\n")).as(id)
                    .singleElement().asString().startsWith("base_model.repo: must be a repository id");
        }
    }

    @Test
    void revisionMustBeAFullLowerCaseCommitId() {
        for (String revision : List.of("main", "0123456", "0123456789ABCDEF0123456789ABCDEF01234567",
                "0123456789abcdef0123456789abcdef012345678")) {
            assertThat(errors("base_model: {repo: a/b, revision: \"" + revision + "\"}\ndataset: {repo: a/c}\n"))
                    .as(revision).singleElement().asString().startsWith("base_model.revision: ");
        }
    }

    @Test
    void invalidBranchNamesAreRefused() {
        for (String branch : List.of("a..b", "-x", "x/", "a b", "x.lock", "a~1", "refs/heads/x", "@", ".hidden", "a//b")) {
            assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, branch: \"" + branch + "\"}\n"))
                    .as(branch).singleElement().asString().startsWith("dataset.branch: '" + branch + "' is not a branch name");
        }
    }

    @Test
    void candidateBranchWithPullRequestIsRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\n"
                + "output: {candidate_branch: quiver/candidate, pull_request: true}\n"))
                .singleElement().asString().startsWith("output.pull_request: ");
    }

    @Test
    void candidateBranchEqualToTheDefaultOutputBranchIsRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\noutput: {candidate_branch: main}\n"))
                .singleElement().asString().startsWith("output.candidate_branch: must differ from output.branch ('main')");
    }

    @Test
    void filePatternsThatLeaveTheRepositoryAreRefused() {
        List<String> errors = errors("base_model: {repo: a/b}\n"
                + "dataset: {repo: a/c, files: [ok/*.jsonl, /etc/passwd, ../x.jsonl], eval: {files: [a\\b]}}\n");

        assertThat(errors).containsExactlyInAnyOrder(
                "dataset.files[1]: must be a pattern relative to the dataset repository's root using '/', without '..', not '/etc/passwd'",
                "dataset.files[2]: must be a pattern relative to the dataset repository's root using '/', without '..', not '../x.jsonl'",
                "dataset.eval.files[0]: must be a pattern relative to the dataset repository's root using '/', without '..', not 'a\\b'");
    }

    @Test
    void evalNeedsRowsWhenDynamicVerificationIsRequired() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, eval: {fraction: 0}}\n"))
                .singleElement().asString().startsWith("dataset.eval: dynamic verification needs eval rows");
        assertThat(Recipe.parse("base_model: {repo: a/b}\ndataset: {repo: a/c, eval: {fraction: 0}}\n"
                + "gate: {required_checks: [static]}\n").dataset().eval().fraction()).isZero();
    }

    @Test
    void evalFractionAndEvalFilesTogetherAreRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c, eval: {fraction: 0.2, files: [e.jsonl]}}\n"))
                .singleElement().asString().startsWith("dataset.eval: give either");
    }

    @Test
    void lossGatesWithoutTheDynamicCheckAreRefused() {
        List<String> errors = errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\n"
                + "gate: {required_checks: [static], must_beat_current: true, min_eval_loss_improvement: 0.1}\n");

        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e).contains("add dynamic to gate.required_checks"));
    }

    @Test
    void wrongTypesAreNamedWithTheirPath() {
        List<String> errors = errors("base_model: acme/x\ndataset: {repo: a/c, files: data.jsonl}\nlora: {r: 8.5}\n"
                + "gate: {required_checks: [static, lint]}\n");

        assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("base_model: "))
                .anySatisfy(e -> assertThat(e).startsWith("dataset.files: "))
                .anySatisfy(e -> assertThat(e).startsWith("lora.r: "))
                .anySatisfy(e -> assertThat(e).startsWith("gate.required_checks[1]: "));
    }

    @Test
    void invalidYamlNamesItsLine() {
        assertThat(errors("base_model: {repo: a/b}\ndataset:\n  repo: a/c\n   branch: x: y\n"))
                .singleElement().asString().startsWith("quiver.yaml: line 4: ");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\nlora: {r: 8}\nlora: {r: 16}\n"))
                .singleElement().asString().startsWith("quiver.yaml: line ").contains("lora");
    }

    @Test
    void emptyNonMappingAndMultiDocumentFilesAreRefused() {
        assertThat(errors("")).singleElement().asString().startsWith("quiver.yaml: is empty");
        assertThat(errors("# only a comment\n")).singleElement().asString().startsWith("quiver.yaml: is empty");
        assertThat(errors("- a\n- b\n")).singleElement().asString().startsWith("quiver.yaml: ");
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\n---\nmore: 1\n"))
                .singleElement().asString().contains("second YAML document");
    }

    @Test
    void numbersBeyondTheirRangeAreRefusedRatherThanTruncated() {
        List<String> errors = errors("base_model: {repo: a/b}\ndataset: {repo: a/c, eval: {seed: 99999999999999999999}}\n"
                + "lora: {alpha: 1e400}\ntraining: {seed: 4294967296, max_steps: 99999999999999, learning_rate: 1e400}\n"
                + "gate: {min_eval_loss_improvement: -1e400}\n");

        assertThat(errors).hasSize(6).anySatisfy(e -> assertThat(e).startsWith("dataset.eval.seed: "))
                .anySatisfy(e -> assertThat(e).startsWith("lora.alpha: "))
                .anySatisfy(e -> assertThat(e).startsWith("training.seed: "))
                .anySatisfy(e -> assertThat(e).startsWith("training.max_steps: "))
                .anySatisfy(e -> assertThat(e).startsWith("training.learning_rate: "))
                .anySatisfy(e -> assertThat(e).startsWith("gate.min_eval_loss_improvement: "));
    }

    @Test
    void yamlTagsAndAliasesNeverBuildObjects() {
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\nlora: {r: !!python/object:os.system 8}\n"))
                .containsExactly("lora.r: string found, integer expected");
        assertThat(errors("base_model: {repo: a/b}\ndataset: {repo: a/c}\nx: &a [1, 2]\ny: *a\n"))
                .containsExactly("x: is not a known setting", "y: is not a known setting");
    }

    @Test
    void deeplyNestedYamlIsRefusedWithoutExhaustingTheStack() {
        assertThat(errors("a: " + "[".repeat(20_000) + "]".repeat(20_000))).singleElement().asString()
                .startsWith("quiver.yaml: line 1: ").contains("nesting depth");
    }
}

package dev.quiver.schema.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecipeTest {

    static final String DOCUMENTED_EXAMPLE = """
            base_model: {repo: acme/tiny-llama, revision: 0123456789abcdef0123456789abcdef01234567}
            dataset:
              repo: acme/support-qa
              branch: main
              files: ["data/*.jsonl"]
              format: qa                # text | qa | alpaca | chat | template
              eval: {fraction: 0.1, seed: 42}
            lora: {r: 8, alpha: 16, dropout: 0.05, target_modules: [q_proj, v_proj], use_rslora: false}
            training: {epochs: 3, learning_rate: 2.0e-4, batch_size: 8, gradient_accumulation: 1, max_length: 256,
                       weight_decay: 0.0, warmup_ratio: 0.05, schedule: cosine, seed: 42}
            gate: {required_checks: [static, dynamic], min_eval_loss_improvement: 0.0, must_beat_current: false}
            output: {branch: main, candidate_branch: quiver/candidate, pull_request: false}
            """;

    @Test
    void documentedExampleReadsIntoEverySetting() {
        Recipe recipe = Recipe.parse(DOCUMENTED_EXAMPLE);

        assertThat(recipe.baseModel()).isEqualTo(new BaseModelRef("acme/tiny-llama",
                Optional.of("0123456789abcdef0123456789abcdef01234567")));
        assertThat(recipe.dataset()).isEqualTo(new DatasetRef("acme/support-qa", "main", List.of("data/*.jsonl"),
                RowFormat.QA, Optional.empty(), new EvalSplit(0.1, 42, List.of())));
        assertThat(recipe.lora()).isEqualTo(new LoraSettings(8, 16, 0.05, List.of("q_proj", "v_proj"), false));
        assertThat(recipe.training()).isEqualTo(new TrainingSettings(3, Optional.empty(), 2e-4, 8, 1, 256, 0.0, 0.05,
                "cosine", 42));
        assertThat(recipe.gate()).isEqualTo(Gate.defaults());
        assertThat(recipe.output()).isEqualTo(new Output("main", Optional.of("quiver/candidate"), false));
    }

    @Test
    void minimalRecipeGetsLoraFriendlyDefaults() {
        Recipe recipe = Recipe.parse("base_model: {repo: acme/tiny-llama}\ndataset: {repo: acme/support-qa}\n");

        assertThat(recipe.baseModel().revision()).isEmpty();
        assertThat(recipe.dataset().branch()).isEqualTo("main");
        assertThat(recipe.dataset().files()).containsExactly("**/*.jsonl");
        assertThat(recipe.dataset().format()).isEqualTo(RowFormat.TEXT);
        assertThat(recipe.dataset().eval()).isEqualTo(new EvalSplit(0.1, 42, List.of()));
        assertThat(recipe.lora()).isEqualTo(new LoraSettings(8, 16, 0.05, List.of(), false));
        assertThat(recipe.training()).isEqualTo(new TrainingSettings(3, Optional.empty(), 2e-4, 8, 1, 256, 0.0, 0.03,
                "cosine", 42));
        assertThat(recipe.gate().requiredChecks()).containsExactly("static", "dynamic");
        assertThat(recipe.output()).isEqualTo(new Output("main", Optional.empty(), false));
    }

    @Test
    void recipeWrittenAsYamlParsesBackEqual() {
        Recipe recipe = Recipe.parse(DOCUMENTED_EXAMPLE);

        assertThat(Recipe.parse(recipe.toYaml())).isEqualTo(recipe);
    }

    @Test
    void templateRecipeWithEvalFilesAndMaxStepsRoundTrips() {
        Recipe recipe = Recipe.parse("""
                base_model: {repo: acme/gpt2-tiny}
                dataset:
                  repo: acme/notes
                  branch: release/v2
                  format: template
                  template: "Q: {question}\\nA: {answer}"
                  eval: {files: [eval/*.jsonl], seed: 7}
                training: {max_steps: 50, learning_rate: 1e-3, schedule: linear}
                gate: {required_checks: [static]}
                output: {branch: main, pull_request: true}
                """);

        assertThat(recipe.dataset().template()).contains("Q: {question}\nA: {answer}");
        assertThat(recipe.dataset().eval()).isEqualTo(new EvalSplit(0, 7, List.of("eval/*.jsonl")));
        assertThat(recipe.training().maxSteps()).contains(50);
        assertThat(recipe.training().learningRate()).isEqualTo(1e-3);
        assertThat(Recipe.parse(recipe.toYaml())).isEqualTo(recipe);
    }

    @Test
    void schemaIsOnTheClasspathWhereTheContractSays() {
        assertThat(Recipe.class.getResource(Recipe.SCHEMA_RESOURCE)).isNotNull();
        assertThat(Recipe.SCHEMA_RESOURCE).isEqualTo("/dev/quiver/schema/recipe.schema.json");
    }
}

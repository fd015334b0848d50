package dev.quiver.runner.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quiver.runner.TestModels;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.model.Architecture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Datasets as users really hand them in: broken rows of every kind, empty files, templates that
 * do not fit the data. Each stops with a TrainerException naming the file, the row and what to do.
 */
class DatasetHostileInputTest {
    static final String GOOD = "{\"question\":\"How do I log in?\",\"answer\":\"Use your email.\"}\n";
    @TempDir static Path dir;
    static ExampleEncoder encoder;

    @BeforeAll
    static void tokenizer() throws Exception {
        Path model = TestModels.tiny(dir.resolve("model"), Architecture.LLAMA, 32, 4, 4);
        encoder = new ExampleEncoder(model, OptionalLong.of(256), 257, 64);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static TrainingData load(String file, byte[] content, RowFormat format, Optional<String> template) throws Exception {
        Path f = dir.resolve(file);
        Files.write(f, content);
        return TrainingData.load(new TrainingData.Source(List.of(f), List.of(), format, template, 0.0, 1), encoder);
    }

    static TrainingData load(String file, String content) throws Exception {
        return load(file, content.getBytes(StandardCharsets.UTF_8), RowFormat.QA, Optional.empty());
    }

    static Stream<Arguments> brokenRows() {
        return Stream.of(
                Arguments.of("not-json.jsonl", GOOD + "{\"question\": \"a?\", \"answer\": \n",
                        List.of("not-json.jsonl row 2: not valid JSON", "fix or remove that line")),
                Arguments.of("two-objects.jsonl", GOOD + GOOD.strip() + " " + GOOD,
                        List.of("two-objects.jsonl row 2: not valid JSON")),
                Arguments.of("array-row.jsonl", GOOD + "[\"a?\", \"b\"]\n",
                        List.of("array-row.jsonl row 2: expected a JSON object of columns, found a list")),
                Arguments.of("string-row.jsonl", "\"just text\"\n",
                        List.of("string-row.jsonl row 1: expected a JSON object of columns, found a string")),
                Arguments.of("duplicate-key.jsonl", "{\"question\":\"a?\",\"answer\":\"b\",\"answer\":\"c\"}\n",
                        List.of("duplicate-key.jsonl row 1: not valid JSON", "answer")),
                Arguments.of("missing.jsonl", GOOD + "{\"question\":\"c?\"}\n",
                        List.of("missing.jsonl row 2: column 'answer' is missing (columns: [question])",
                                "the qa format reads columns 'question' and 'answer'")),
                Arguments.of("renamed.jsonl", "{\"prompt\":\"a?\",\"completion\":\"b\"}\n",
                        List.of("renamed.jsonl row 1: column 'question' is missing (columns: [completion, prompt])")),
                Arguments.of("object-value.jsonl", "{\"question\":{\"text\":\"a?\"},\"answer\":\"b\"}\n",
                        List.of("object-value.jsonl row 1: column 'question' must be text, found an object")),
                Arguments.of("list-value.jsonl", "{\"question\":\"a?\",\"answer\":[\"b\"]}\n",
                        List.of("list-value.jsonl row 1: column 'answer' must be text, found a list")),
                Arguments.of("nested.jsonl", "[".repeat(100_000) + "\n",
                        List.of("nested.jsonl row 1: not valid JSON")),
                Arguments.of("object.json", "{\"question\":\"a?\",\"answer\":\"b\"}",
                        List.of("object.json: expected a JSON array of objects, found an object")),
                Arguments.of("cut.json", "[{\"question\":\"a?\",\"answer\":\"b\"},",
                        List.of("cut.json: not valid JSON")),
                Arguments.of("columns.csv", "question,answer\n\"a?\",b\nc?,d,e\n",
                        List.of("columns.csv row 2: has 3 columns, the header has 2")),
                Arguments.of("quote.csv", "question,answer\n\"a?,b\n",
                        List.of("quote.csv", "a quoted field is never closed")),
                Arguments.of("data.txt", "question: a?\n", List.of("data.txt: unknown dataset format")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRows")
    void aBrokenRowNamesFileRowAndProblem(String file, String content, List<String> expected) {
        assertThatThrownBy(() -> load(file, content)).isInstanceOf(TrainerException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(expected));
    }

    @Test
    void bytesThatAreNotUtf8AreNamedAsSuch() {
        byte[] latin1 = "{\"question\":\"caf\u00e9?\",\"answer\":\"s\u00ed\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> load("latin1.jsonl", latin1, RowFormat.QA, Optional.empty()))
                .isInstanceOf(TrainerException.class).hasMessage("latin1.jsonl is not UTF-8 text; save it as UTF-8");
    }

    @Test
    void aMissingFileIsATrainerException() {
        Path missing = dir.resolve("nowhere.jsonl");
        assertThatThrownBy(() -> TrainingData.load(
                new TrainingData.Source(List.of(missing), List.of(), RowFormat.QA, Optional.empty(), 0, 1), encoder))
                .isInstanceOf(TrainerException.class).hasMessageContaining("cannot read " + missing);
    }

    @Test
    void aByteOrderMarkIsNotARowProblem() throws Exception {
        TrainingData data = load("bom.jsonl", "\uFEFF" + GOOD);
        assertThat(data.train()).hasSize(1);
    }

    @Test
    void brokenChatRowsSayWhatTheMessagesNeed() {
        assertThatThrownBy(() -> load("chat1.jsonl", "{\"messages\":\"hi\"}\n".getBytes(), RowFormat.CHAT, Optional.empty()))
                .hasMessageContaining("chat1.jsonl row 1: column 'messages' must be a non-empty list of {role, content}");
        assertThatThrownBy(() -> load("chat2.jsonl", "{\"messages\":[{\"role\":\"user\"}]}\n".getBytes(), RowFormat.CHAT,
                Optional.empty())).hasMessageContaining("chat2.jsonl row 1: column 'messages' item 1 needs string 'role' and 'content'");
        assertThatThrownBy(() -> load("chat3.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n".getBytes(),
                RowFormat.CHAT, Optional.empty())).hasMessageContaining("has no assistant message to learn");
    }

    static Stream<Arguments> emptyDatasets() {
        return Stream.of(Arguments.of("empty.jsonl", ""), Arguments.of("blank.jsonl", "\n  \n\n"),
                Arguments.of("empty.json", "[]"), Arguments.of("header-only.csv", "question,answer\n"),
                Arguments.of("zero.csv", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyDatasets")
    void anEmptyDatasetSaysItHasNoRows(String file, String content) {
        assertThatThrownBy(() -> load(file, content)).isInstanceOf(TrainerException.class)
                .hasMessageStartingWith("the dataset [" + file + "] has no rows; add rows");
    }

    @Test
    void rowsThatCleaningEmptiesAreCountedInTheMessage() {
        String rows = "{\"question\":\"a?\",\"answer\":\"  \"}\n{\"question\":\"b?\",\"answer\":\"\"}\n";
        assertThatThrownBy(() -> load("blank-answers.jsonl", rows)).isInstanceOf(TrainerException.class)
                .hasMessageContaining("has no usable training rows: of 2 rows, 2 have an empty completion");
    }

    @Test
    void promptsThatFillMaxLengthAreCountedInTheMessage() {
        String row = "{\"question\":\"" + "x".repeat(200) + "\",\"answer\":\"y\"}\n";
        assertThatThrownBy(() -> load("long.jsonl", row)).isInstanceOf(TrainerException.class)
                .hasMessageContaining("1 have a prompt that fills all 64 tokens of max_length")
                .hasMessageContaining("raise max_length");
    }

    @Test
    void aTemplatePlaceholderTheDataLacksNamesTheTemplate() {
        assertThatThrownBy(() -> load("tpl.jsonl", GOOD.getBytes(), RowFormat.TEMPLATE,
                Optional.of("Q: {question} A: {answr}"))).isInstanceOf(TrainerException.class)
                .hasMessageContaining("tpl.jsonl row 1: column 'answr' is missing (columns: [answer, question])")
                .hasMessageContaining("the template 'Q: {question} A: {answr}' reads it: fix the template or the data");
    }

    @Test
    void templatesThatCannotWorkAreRefusedBeforeAnyRowIsRead() {
        assertThatThrownBy(() -> new PromptFormatter(RowFormat.TEMPLATE, Optional.of("no placeholders here")))
                .isInstanceOf(TrainerException.class).hasMessageContaining("has no {column} placeholder");
        assertThatThrownBy(() -> new PromptFormatter(RowFormat.TEMPLATE, Optional.empty()))
                .isInstanceOf(TrainerException.class).hasMessageContaining("needs a template string");
        assertThatThrownBy(() -> new PromptFormatter(RowFormat.QA, Optional.of("Q: {question}")))
                .isInstanceOf(TrainerException.class).hasMessageContaining("only used by format 'template', not 'qa'");
    }

    @Test
    void anEvalFractionOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new TrainingData.Source(List.of(dir), List.of(), RowFormat.QA, Optional.empty(), 1.0, 1))
                .isInstanceOf(TrainerException.class).hasMessageContaining("eval fraction");
        assertThatThrownBy(() -> new TrainingData.Source(List.of(dir), List.of(), RowFormat.QA, Optional.empty(), -0.1, 1))
                .isInstanceOf(TrainerException.class);
    }

    @Test
    void aSingleRowIsKeptForTrainingRatherThanSplitOff() throws Exception {
        Path f = dir.resolve("one.jsonl");
        Files.writeString(f, GOOD);
        TrainingData data = TrainingData.load(
                new TrainingData.Source(List.of(f), List.of(), RowFormat.QA, Optional.empty(), 0.9, 1), encoder);
        assertThat(data.train()).hasSize(1);
        assertThat(data.eval()).isEmpty();
    }

    @Test
    void aTokenizerFromAnotherModelIsCaughtBeforeTheModelSeesItsIds() throws Exception {
        try (ExampleEncoder small = new ExampleEncoder(dir.resolve("model"), OptionalLong.empty(), 100, 64)) {
            assertThatThrownBy(() -> small.encode(new Example("Question: ", "zebra")))
                    .isInstanceOf(TrainerException.class)
                    .hasMessageContaining("but the model has 100 tokens: the tokenizer belongs to another model");
        }
    }
}

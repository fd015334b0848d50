package dev.quiver.server.card;

import static dev.quiver.server.card.GitFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.Revision;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevisionFactsTest {
    private static final RepoId REPO = new RepoId(RepoType.MODEL, "acme", "lora");
    private static final String PEFT_CARD = """
            ---
            base_model: acme/tiny-llama
            library_name: peft
            license: apache-2.0
            datasets: [acme/support-qa]
            language: [en, de]
            pipeline_tag: text-generation
            tags: [lora, transformers, "base_model:adapter:acme/tiny-llama"]
            ---
            # My adapter
            """;
    private static final String ADAPTER_CONFIG = """
            {"base_model_name_or_path": "acme/tiny-llama", "lora_alpha": 16, "peft_type": "LORA", "r": 4,
             "revision": "0123456789abcdef0123456789abcdef01234567", "target_modules": ["v_proj", "q_proj"],
             "task_type": "CAUSAL_LM"}
            """;

    @TempDir
    Path dir;
    GitFixture fx;

    @BeforeEach
    void open() {
        fx = new GitFixture(dir);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    /** q_proj A [4, 8] and B [8, 4] in F32, plus a BF16 [3] tensor: 64 F32 and 3 BF16 parameters. */
    private static byte[] adapterWeights() {
        return new SafetensorsWriter()
                .add("base_model.model.q_proj.lora_A.weight", Dtype.F32, new long[] {4, 8}, ByteBuffer.allocate(4 * 32))
                .add("base_model.model.q_proj.lora_B.weight", Dtype.F32, new long[] {8, 4}, ByteBuffer.allocate(4 * 32))
                .add("extra", Dtype.BF16, new long[] {3}, ByteBuffer.allocate(6))
                .toBytes();
    }

    @Test
    void aPeftAdapterInLfsGetsItsSummaryTotalsAndTheHubsTags() {
        Revision rev = fx.commit(Map.of("README.md", utf8(PEFT_CARD), "adapter_config.json", utf8(ADAPTER_CONFIG),
                "adapter_model.safetensors", fx.lfs(adapterWeights())));

        RevisionFacts facts = RevisionFacts.read(fx.git, REPO, rev, fx.blobs);

        assertThat(facts.sha()).isEqualTo(rev.sha());
        assertThat(facts.lastModified()).isEqualTo(rev.commit().getCommitterIdent().getWhenAsInstant());
        assertThat(facts.libraryName()).contains("peft");
        assertThat(facts.pipelineTag()).contains("text-generation");
        assertThat(facts.tags()).containsExactly("peft", "safetensors", "lora", "transformers",
                "base_model:adapter:acme/tiny-llama", "dataset:acme/support-qa", "en", "de",
                "base_model:acme/tiny-llama", "license:apache-2.0");
        AdapterSummary a = facts.adapter().orElseThrow();
        assertThat(a.peftType()).isEqualTo("LORA");
        assertThat(a.baseModel()).isEqualTo("acme/tiny-llama");
        assertThat(a.baseRevision()).contains("0123456789abcdef0123456789abcdef01234567");
        assertThat(a.r()).isEqualTo(4);
        assertThat(a.alpha()).isEqualTo(16.0);
        assertThat(a.targetModules()).containsExactly("q_proj", "v_proj");
        assertThat(a.parameters()).isEqualTo(67);
        SafetensorsTotals st = facts.safetensors().orElseThrow();
        assertThat(st.parameters()).containsExactly(Map.entry("BF16", 3L), Map.entry("F32", 64L));
        assertThat(st.total()).isEqualTo(67);
    }

    @Test
    void totalsSumEverySafetensorsFileInGitAndLfsAndSkipBrokenHeaders() {
        byte[] small = new SafetensorsWriter().add("w", Dtype.F16, new long[] {5}, ByteBuffer.allocate(10)).toBytes();
        Revision rev = fx.commit(Map.of("a/model.safetensors", small, "b.safetensors", fx.lfs(adapterWeights()),
                "broken.safetensors", utf8("not a safetensors file at all")));

        RevisionFacts facts = RevisionFacts.read(fx.git, REPO, rev, fx.blobs);

        assertThat(facts.safetensors().orElseThrow().parameters())
                .containsExactly(Map.entry("BF16", 3L), Map.entry("F16", 5L), Map.entry("F32", 64L));
        assertThat(facts.safetensors().orElseThrow().total()).isEqualTo(72);
        assertThat(facts.adapter()).isEmpty();
        assertThat(facts.tags()).containsExactly("safetensors");
    }

    @Test
    void aCardThatDoesNotParseGivesAnEmptyCardAndNoTagsFromIt() {
        Revision rev = fx.commit(Map.of("README.md", utf8("---\nlicense: [unclosed\ntags: {\n---\nbody\n")));

        RevisionFacts facts = RevisionFacts.read(fx.git, REPO, rev, fx.blobs);

        assertThat(facts.card().metadata()).isEmpty();
        assertThat(facts.tags()).isEmpty();
        assertThat(facts.safetensors()).isEmpty();
    }

    @Test
    void anAdapterConfigAloneMakesTheBaseModelAnAdapterBaseAndBrokenConfigsAreNoAdapter() {
        Revision rev = fx.commit(Map.of("adapter_config.json", utf8("{\"peft_type\":\"LORA\","
                + "\"base_model_name_or_path\":\"acme/base\",\"target_modules\":\"^.*proj$\"}")));
        RevisionFacts facts = RevisionFacts.read(fx.git, REPO, rev, fx.blobs);
        assertThat(facts.tags()).containsExactly("base_model:acme/base", "base_model:adapter:acme/base");
        assertThat(facts.adapter().orElseThrow().r()).isEqualTo(8);
        assertThat(facts.adapter().orElseThrow().targetModules()).containsExactly("^.*proj$");
        assertThat(facts.adapter().orElseThrow().parameters()).isZero();

        for (String broken : new String[] {"{", "[]", "{\"r\": 4}", "{\"peft_type\": 7}", "null"}) {
            Revision b = fx.commit(Map.of("adapter_config.json", utf8(broken)));
            assertThat(RevisionFacts.read(fx.git, REPO, b, fx.blobs).adapter()).as(broken).isEmpty();
        }
    }

    @Test
    void aMergeRelationInTheCardIsKeptAndAnLfsPointerWithoutItsObjectIsIgnored() {
        byte[] pointer = utf8("version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab".repeat(32)
                + "\nsize 1000\n");
        Revision rev = fx.commit(Map.of("README.md", utf8("---\nbase_model: [x/a, x/b]\nbase_model_relation: merge\n---\n"),
                "model.safetensors", pointer));
        RevisionFacts facts = RevisionFacts.read(fx.git, REPO, rev, fx.blobs);
        assertThat(facts.tags()).containsExactly("safetensors", "base_model:x/a", "base_model:merge:x/a",
                "base_model:x/b", "base_model:merge:x/b");
        assertThat(facts.safetensors()).isEmpty();
    }
}

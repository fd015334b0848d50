package dev.quiver.runner.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quiver.runner.Main;
import dev.quiver.runner.TestModels;
import dev.quiver.runner.TrainerException;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.lora.TargetModules;
import dev.quiver.runner.model.Architecture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters that do not belong to the base they are checked against, or were damaged on the way:
 * each gives a report with the failing check and why, never an exception escaping the verifier.
 */
class VerifyHostileInputTest {
    static final String Q0 = "base_model.model.model.layers.0.self_attn.q_proj.";
    @TempDir static Path dir;
    static Path llama;
    static Path wideLlama;
    static Path gpt2;
    static Path adapter;

    @BeforeAll
    static void models() throws Exception {
        llama = TestModels.tiny(dir.resolve("llama"), Architecture.LLAMA, 32, 4, 2);
        wideLlama = TestModels.tiny(dir.resolve("wide-llama"), Architecture.LLAMA, 64, 4, 2);
        gpt2 = TestModels.tiny(dir.resolve("gpt2"), Architecture.GPT2, 32, 4, 4);
        adapter = TestModels.adapter(llama, dir.resolve("adapter"), 4, new TargetModules.Names(List.of("q_proj", "v_proj")));
    }

    static VerificationReport verify(Path base, Path adapterDir) {
        return Verifier.verify(base, adapterDir, Optional.empty(), RowFormat.QA, Optional.empty(), 64);
    }

    static Check check(VerificationReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + report.checks()));
    }

    static Path damaged(String name) throws Exception {
        return TestModels.copy(adapter, dir.resolve(name));
    }

    @Test
    void theUndamagedAdapterPasses() {
        VerificationReport report = verify(llama, adapter);
        assertThat(report.passed()).as(report.checks().toString()).isTrue();
        assertThat(report.baseModel()).containsEntry("base_model_name_or_path", "llama");
    }

    @Test
    void anAdapterForAWiderModelFailsOnShapes() throws Exception {
        Path wide = TestModels.adapter(wideLlama, dir.resolve("wide-adapter"), 4, new TargetModules.Names(List.of("q_proj")));
        VerificationReport report = verify(llama, wide);
        assertThat(report.passed()).isFalse();
        assertThat(check(report, "tensors-map-to-base").details())
                .contains(Q0 + "lora_A.weight has shape [4, 64], the base module needs [4, 32]")
                .contains("trained on a model of another size");
    }

    @Test
    void aGpt2AdapterOnALlamaBaseIsNamedAsAnotherArchitecture() throws Exception {
        Path gptAdapter = TestModels.adapter(gpt2, dir.resolve("gpt2-adapter"), 4, new TargetModules.Names(List.of("c_attn")));
        VerificationReport report = verify(llama, gptAdapter);
        assertThat(report.passed()).isFalse();
        assertThat(check(report, "tensors-map-to-base").status()).isEqualTo(Check.Status.FAIL);
        assertThat(check(report, "tensors-map-to-base").details())
                .contains("none of the adapter's 2 modules (such as transformer.h.0.attn.c_attn) exists in this llama base")
                .contains("trained for another architecture");
        assertThat(report.checks()).extracting(Check::name).doesNotContain("finite-values");
    }

    @Test
    void nanInTheAdapterFailsFiniteValues() throws Exception {
        Path nan = damaged("nan-adapter");
        TestModels.rewriteTensor(nan.resolve(PeftAdapterFiles.WEIGHTS), Q0 + "lora_A.weight", v -> {
            v[0] = Float.NaN;
            return v;
        });
        VerificationReport report = verify(llama, nan);
        assertThat(check(report, "finite-values").status()).isEqualTo(Check.Status.FAIL);
        assertThat(check(report, "finite-values").details()).contains(Q0 + "lora_A.weight");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aTruncatedAdapterFailsFilesReadable() throws Exception {
        Path cut = damaged("cut-adapter");
        TestModels.truncate(cut.resolve(PeftAdapterFiles.WEIGHTS), 16);
        VerificationReport report = verify(llama, cut);
        assertThat(report.checks()).extracting(Check::name).containsExactly("files-readable");
        assertThat(check(report, "files-readable").details()).contains("cut short", "download it again");
    }

    @Test
    void unreadableConfigsFailFilesReadable() throws Exception {
        Path missing = damaged("no-config");
        Files.delete(missing.resolve(PeftAdapterFiles.CONFIG));
        Path notJson = damaged("bad-config");
        Files.writeString(notJson.resolve(PeftAdapterFiles.CONFIG), "{\"peft_type\": \"LORA\", \"r\": ");
        Path prefix = damaged("prefix-config");
        Files.writeString(prefix.resolve(PeftAdapterFiles.CONFIG), "{\"peft_type\": \"PREFIX_TUNING\", \"r\": 0}");
        Path dora = damaged("dora-config");
        Path doraConfig = dora.resolve(PeftAdapterFiles.CONFIG);
        Files.writeString(doraConfig, Files.readString(doraConfig).replace("\"use_dora\": false", "\"use_dora\": true"));

        assertThat(check(verify(llama, missing), "files-readable").details()).contains("cannot read", "adapter_config.json");
        assertThat(check(verify(llama, notJson), "files-readable").details()).contains("not valid JSON");
        assertThat(check(verify(llama, prefix), "files-readable").details())
                .contains("peft_type must be LORA").contains("r must be greater than 0");
        assertThat(check(verify(llama, dora), "files-readable").details()).contains("DoRA adapters are not supported");
        assertThat(verify(llama, missing).baseModel()).containsEntry("base_model_name_or_path", "");
    }

    @Test
    void halfAPairFailsTheMapping() throws Exception {
        Path half = damaged("half-adapter");
        TestModels.dropTensor(half.resolve(PeftAdapterFiles.WEIGHTS), Q0 + "lora_B.weight");
        VerificationReport report = verify(llama, half);
        assertThat(check(report, "tensors-map-to-base").details())
                .contains("model.layers.0.self_attn.q_proj has lora_A but no lora_B");
    }

    @Test
    void aRankThatDisagreesWithTheConfigFails() throws Exception {
        Path other = damaged("rank-adapter");
        Path config = other.resolve(PeftAdapterFiles.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"r\": 4", "\"r\": 8"));
        assertThat(check(verify(llama, other), "rank-matches-config").details()).contains("has rank 4, the config says 8");
    }

    @Test
    void integerTensorsFailTheDtypeCheck() throws Exception {
        Path ints = damaged("int-adapter");
        TestModels.retypeTensorToI64(ints.resolve(PeftAdapterFiles.WEIGHTS), Q0 + "lora_A.weight");
        assertThat(check(verify(llama, ints), "dtypes-allowed").details()).contains(Q0 + "lora_A.weight is I64");
    }

    @Test
    void aDamagedBaseIsATrainerExceptionNotAVerdictOnTheAdapter() throws Exception {
        Path base = TestModels.copy(llama, dir.resolve("nan-base"));
        TestModels.rewriteTensor(base.resolve("model.safetensors"), "model.norm.weight", v -> {
            v[0] = Float.NaN;
            return v;
        });
        assertThatThrownBy(() -> verify(base, adapter)).isInstanceOf(TrainerException.class)
                .hasMessageContaining("model.norm.weight holds 1 NaN or infinite values");
    }

    @Test
    void theVerifyCommandPrintsTheFailedReportAndExitsOne() throws Exception {
        Path gptAdapter = TestModels.adapter(gpt2, dir.resolve("gpt2-cli-adapter"), 4, new TargetModules.AllLinear());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.commandLine().execute("verify", "--base", llama.toString(), "--adapter", gptAdapter.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
        assertThat(json.get("checks").findValuesAsText("status")).contains("FAIL");
    }
}

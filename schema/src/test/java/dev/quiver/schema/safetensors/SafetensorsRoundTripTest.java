package dev.quiver.schema.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static SafetensorsWriter adapter() {
        return new SafetensorsWriter()
                .add("base_model.model.q_proj.lora_B.weight", Dtype.F32, new long[] {3, 2},
                        SafetensorsFiles.floats(1, 2, 3, 4, 5, 6))
                .add("base_model.model.q_proj.lora_A.weight", Dtype.F32, new long[] {2, 2},
                        SafetensorsFiles.floats(-1, -2, -3, -4))
                .add("flags", Dtype.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 1}))
                .add("scale", Dtype.F64, new long[] {}, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).flip());
    }

    @Test
    void writtenFileReadsBackWithTheSameTensorsAndBytes() throws IOException {
        Path file = dir.resolve("adapter_model.safetensors");
        adapter().write(file);

        SafetensorsHeader header = SafetensorsReader.readHeader(file);

        assertThat(header.tensors()).extracting(TensorInfo::name).containsExactly(
                "base_model.model.q_proj.lora_A.weight", "base_model.model.q_proj.lora_B.weight", "flags", "scale");
        assertThat(header.tensor("base_model.model.q_proj.lora_B.weight").orElseThrow().shape()).containsExactly(3L, 2L);
        assertThat(header.fileLength()).isEqualTo(Files.size(file));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = SafetensorsReader.readTensor(channel, header, "base_model.model.q_proj.lora_B.weight");
            assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.remaining()).isEqualTo(24);
            assertThat(b.getFloat(20)).isEqualTo(6f);
            assertThat(SafetensorsReader.readTensor(channel, header, "scale").getDouble(0)).isEqualTo(0.5);
        }
    }

    @Test
    void metadataDefaultsToFormatPtAndKeepsExtraEntries() {
        byte[] bytes = adapter().metadata("quiver_commit", "abc").toBytes();

        SafetensorsHeader header = SafetensorsReader.readHeader(new ByteArrayInputStream(bytes), bytes.length);

        assertThat(header.metadata()).isEqualTo(Map.of("format", "pt", "quiver_commit", "abc"));
    }

    @Test
    void headerIsPaddedWithSpacesToAMultipleOfEight() {
        byte[] bytes = adapter().toBytes();
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);

        assertThat(n % 8).isZero();
        assertThat(json).startsWith("{\"__metadata__\":{\"format\":\"pt\"}");
        assertThat(json.stripTrailing()).endsWith("}");
        assertThat(json.substring(json.stripTrailing().length())).matches(" *");
    }

    @Test
    void tensorsAreLaidOutWidestDtypeFirstThenByName() {
        byte[] bytes = adapter().toBytes();
        SafetensorsHeader header = SafetensorsReader.readHeader(new ByteArrayInputStream(bytes), bytes.length);

        List<String> byOffset = header.tensors().stream()
                .sorted(java.util.Comparator.comparingLong(TensorInfo::begin)).map(TensorInfo::name).toList();

        assertThat(byOffset).containsExactly("scale", "base_model.model.q_proj.lora_A.weight",
                "base_model.model.q_proj.lora_B.weight", "flags");
        assertThat(header.tensor("scale").orElseThrow().begin()).isZero();
    }

    @Test
    void validateStreamsAWholeFileAndReportsParameterCounts() {
        byte[] bytes = adapter().toBytes();

        SafetensorsHeader header = SafetensorsReader.validate(new ByteArrayInputStream(bytes), bytes.length);

        assertThat(header.parameterCounts()).containsExactly(Map.entry("BOOL", 3L), Map.entry("F32", 10L),
                Map.entry("F64", 1L));
        assertThat(header.totalParameters()).isEqualTo(14);
    }

    @Test
    void readHeaderFromAStreamConsumesExactlyTheHeader() throws IOException {
        byte[] bytes = adapter().toBytes();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);

        SafetensorsHeader header = SafetensorsReader.readHeader(in, bytes.length);

        assertThat(in.available()).isEqualTo(bytes.length - header.dataOffset());
    }

    @Test
    void emptyFileWithNoTensorsRoundTrips() {
        byte[] bytes = new SafetensorsWriter().toBytes();

        SafetensorsHeader header = SafetensorsReader.validate(new ByteArrayInputStream(bytes), bytes.length);

        assertThat(header.tensors()).isEmpty();
        assertThat(header.fileLength()).isEqualTo(bytes.length);
    }

    @Test
    void packedF4TensorWithAWholeNumberOfBytesIsAccepted() {
        byte[] bytes = new SafetensorsWriter().add("q", Dtype.F4, new long[] {2, 3}, ByteBuffer.allocate(3)).toBytes();

        assertThat(SafetensorsReader.validate(new ByteArrayInputStream(bytes), bytes.length).tensors().get(0).byteLength())
                .isEqualTo(3);
    }

    @Test
    void overwritingAnExistingFileReplacesItAndLeavesNoTempFiles() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old");

        adapter().write(file);

        assertThat(SafetensorsReader.readHeader(file).tensors()).hasSize(4);
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void writerRefusesDataOfTheWrongSizeAndDuplicateNames() {
        assertThatThrownBy(() -> new SafetensorsWriter().add("a", Dtype.F32, new long[] {2}, ByteBuffer.allocate(7)))
                .isInstanceOf(SafetensorsException.class)
                .extracting(e -> ((SafetensorsException) e).problem())
                .isEqualTo(SafetensorsException.Problem.TENSOR_INVALID_INFO);
        SafetensorsWriter writer = new SafetensorsWriter().add("a", Dtype.U8, new long[] {1}, ByteBuffer.allocate(1));
        assertThatThrownBy(() -> writer.add("a", Dtype.U8, new long[] {1}, ByteBuffer.allocate(1)))
                .isInstanceOf(SafetensorsException.class)
                .extracting(e -> ((SafetensorsException) e).problem())
                .isEqualTo(SafetensorsException.Problem.DUPLICATE_KEY);
    }

    @Test
    void readingAMissingTensorSaysSo() throws IOException {
        Path file = dir.resolve("a.safetensors");
        adapter().write(file);
        SafetensorsHeader header = SafetensorsReader.readHeader(file);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> SafetensorsReader.readTensor(channel, header, "nope"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("nope")
                    .extracting(e -> ((SafetensorsException) e).problem())
                    .isEqualTo(SafetensorsException.Problem.TENSOR_NOT_FOUND);
        }
    }
}

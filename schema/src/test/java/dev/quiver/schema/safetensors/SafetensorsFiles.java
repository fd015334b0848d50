package dev.quiver.schema.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built safetensors bytes, for tests that need files no honest writer makes. */
final class SafetensorsFiles {

    private SafetensorsFiles() {
    }

    /** {@code [N][json][dataBytes zero bytes]} with N the JSON's exact length. */
    static byte[] file(String json, int dataBytes) {
        return file(json.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    static byte[] file(byte[] json, int dataBytes) {
        return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array();
    }

    /** Just the 8-byte length prefix claiming {@code headerSize}, followed by {@code rest}. */
    static byte[] withClaimedHeaderSize(long headerSize, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(headerSize).put(rest).array();
    }

    static ByteBuffer floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.flip();
    }
}

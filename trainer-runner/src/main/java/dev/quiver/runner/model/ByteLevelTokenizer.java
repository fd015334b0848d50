package dev.quiver.runner.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE tokenizer.json with no merges: token id = byte value (0-255), plus
 * {@code <|endoftext|>} as id 256. Bytes are spelled with GPT-2's byte-to-unicode table, so
 * Rust tokenizers (DJL's binding and Python's {@code tokenizers}) load it as an ordinary GPT-2-style file.
 */
public final class ByteLevelTokenizer {
    public static final String EOS = "<|endoftext|>";
    public static final int VOCAB = 257;

    private ByteLevelTokenizer() {}

    public static Map<String, Object> tokenizerJson() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        char[] spelled = byteToUnicode();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(spelled[b]), b);
        }
        vocab.put(EOS, 256);
        Map<String, Object> byteLevel = Map.of("type", "ByteLevel", "add_prefix_space", false, "trim_offsets", true, "use_regex", true);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", List.of());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("version", "1.0");
        t.put("truncation", null);
        t.put("padding", null);
        t.put("added_tokens", List.of(Map.of("id", 256, "content", EOS, "single_word", false, "lstrip", false,
                "rstrip", false, "normalized", false, "special", true)));
        t.put("normalizer", null);
        t.put("pre_tokenizer", byteLevel);
        t.put("post_processor", byteLevel);
        t.put("decoder", byteLevel);
        t.put("model", model);
        return t;
    }

    public static Map<String, Object> tokenizerConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("bos_token", EOS);
        c.put("eos_token", EOS);
        c.put("unk_token", EOS);
        c.put("model_max_length", 1024);
        return c;
    }

    /** GPT-2's table: printable bytes map to themselves, the rest to code points from 256 up. */
    private static char[] byteToUnicode() {
        List<Integer> printable = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            printable.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable.add(b);
        }
        char[] out = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            out[b] = printable.contains(b) ? (char) b : (char) (256 + next++);
        }
        return out;
    }
}

package dev.quiver.runner.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.quiver.runner.TrainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tokenizes examples with the base model's tokenizer.json (DJL's binding of Rust tokenizers):
 * prompt and completion separately, so the prompt boundary is exact, then the end-of-sequence
 * token, then truncation to {@code maxLength} from the end.
 */
public final class ExampleEncoder implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final OptionalLong eos;
    private final int maxLength;
    private final long vocabSize;

    /** {@code vocabSize} is the model's: ids at or above it would index past the embedding table. */
    public ExampleEncoder(Path modelDir, OptionalLong eosTokenId, long vocabSize, int maxLength) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new TrainerException(modelDir + " has no tokenizer.json");
        }
        if (maxLength < 2) {
            throw new TrainerException("max_length must be at least 2, got " + maxLength);
        }
        try {
            // Special tokens are handled here (EOS only), not by the tokenizer's post-processor.
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new TrainerException(file + " cannot be loaded: " + e.getMessage(), e);
        }
        if (eosTokenId.isPresent() && (eosTokenId.getAsLong() < 0 || eosTokenId.getAsLong() >= vocabSize)) {
            tokenizer.close();
            throw new TrainerException("config.json: eos_token_id " + eosTokenId.getAsLong() + " is outside the vocabulary of "
                    + vocabSize + " tokens; fix config.json");
        }
        this.eos = eosTokenId;
        this.maxLength = maxLength;
        this.vocabSize = vocabSize;
    }

    /** Empty when truncation left no completion token to learn from. */
    public Optional<TokenizedExample> encode(Example e) {
        long[] prompt = e.prompt().isEmpty() ? new long[0] : encodeText(e.prompt());
        long[] completion = encodeText(e.completion());
        int extra = eos.isPresent() ? 1 : 0;
        long[] ids = Arrays.copyOf(prompt, prompt.length + completion.length + extra);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        if (extra == 1) {
            ids[ids.length - 1] = eos.getAsLong();
        }
        if (ids.length > maxLength) {
            ids = Arrays.copyOf(ids, maxLength);
        }
        return ids.length > Math.max(prompt.length, 1)
                ? Optional.of(new TokenizedExample(ids, prompt.length))
                : Optional.empty();
    }

    public int maxLength() {
        return maxLength;
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids);
    }

    public long[] encodeText(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new TrainerException("tokenizer.json gives token id " + id + " but the model has " + vocabSize
                        + " tokens: the tokenizer belongs to another model; use the base model's own tokenizer.json");
            }
        }
        return ids;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

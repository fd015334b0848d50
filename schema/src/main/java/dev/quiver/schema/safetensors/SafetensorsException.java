package dev.quiver.schema.safetensors;

/**
 * A safetensors file, or a request against one, that Quiver refuses. {@link #problem()}
 * names the check that failed (the same checks, in the same order, as the reference Rust
 * reader); the message says what is wrong in words a person who pushed the file can act on.
 */
public final class SafetensorsException extends RuntimeException {

    /** Which check failed; named after the reference implementation's errors. */
    public enum Problem {
        /** The file is shorter than the 8-byte header length. */
        HEADER_TOO_SMALL,
        /** The header length is above {@link SafetensorsReader#MAX_HEADER_SIZE}. */
        HEADER_TOO_LARGE,
        /** The header length points past the end of the file. */
        INVALID_HEADER_LENGTH,
        /** The header is not UTF-8 or does not start with '{'. */
        INVALID_HEADER,
        /** The header is not the JSON a safetensors header must be. */
        INVALID_HEADER_DESERIALIZATION,
        /** Tensor offsets leave holes, overlap, run backwards or do not start at 0. */
        INVALID_OFFSET,
        /** A shape's element or byte count does not fit in 63 bits. */
        VALIDATION_OVERFLOW,
        /** A packed (sub-byte) tensor does not fill a whole number of bytes. */
        MISALIGNED_SLICE,
        /** A tensor's offsets disagree with its shape and dtype. */
        TENSOR_INVALID_INFO,
        /** The data area is shorter or longer than the tensors claim. */
        METADATA_INCOMPLETE_BUFFER,
        /** A dtype that safetensors does not define. */
        UNKNOWN_DTYPE,
        /** The same key appears twice in one JSON object. */
        DUPLICATE_KEY,
        /** No tensor of the requested name. */
        TENSOR_NOT_FOUND,
        /** Reading or writing failed underneath. */
        IO
    }

    private final Problem problem;

    public SafetensorsException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public SafetensorsException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    /** The check that failed. */
    public Problem problem() {
        return problem;
    }
}

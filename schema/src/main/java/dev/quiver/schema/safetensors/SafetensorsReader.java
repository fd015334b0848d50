package dev.quiver.schema.safetensors;

import dev.quiver.schema.safetensors.SafetensorsException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and validates safetensors files without trusting anything the file says.
 *
 * <p>Every entry point makes the reference reader's checks in its order: file at least 8
 * bytes ({@code HEADER_TOO_SMALL}); header length N at most {@link #MAX_HEADER_SIZE}, checked
 * before anything is allocated ({@code HEADER_TOO_LARGE}); 8 + N within the file
 * ({@code INVALID_HEADER_LENGTH}); strict UTF-8 starting with '{' ({@code INVALID_HEADER});
 * well-formed JSON with exact non-negative integers, string-only metadata and no duplicate
 * keys ({@code INVALID_HEADER_DESERIALIZATION}, {@code DUPLICATE_KEY}); known dtypes
 * ({@code UNKNOWN_DTYPE}); the per-tensor and layout checks of {@link TensorInfo} and
 * {@link SafetensorsHeader}; and last, that the data area ends exactly at the end of the file
 * ({@code METADATA_INCOMPLETE_BUFFER}), which refuses trailing or polyglot data. All of them
 * throw {@link SafetensorsException}, and nothing else escapes: I/O failures are
 * {@code IO}.
 */
public final class SafetensorsReader {

    /** The largest header the reference implementation accepts, in bytes. */
    public static final long MAX_HEADER_SIZE = 100_000_000L;

    private static final int COPY_BUFFER = 64 * 1024;

    private SafetensorsReader() {
    }

    /** Reads and validates the header of a file on disk. */
    public static SafetensorsHeader readHeader(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(channel);
        } catch (IOException e) {
            throw io("could not read " + file.getFileName(), e);
        }
    }

    /** Reads and validates the header from the start of the channel, against {@code channel.size()}. */
    public static SafetensorsHeader readHeader(SeekableByteChannel channel) {
        try {
            long fileLength = channel.size();
            channel.position(0);
            ByteBuffer prefix = readFully(channel, ByteBuffer.allocate((int) Math.min(8, fileLength)));
            long headerSize = checkHeaderSize(prefix.array(), fileLength);
            ByteBuffer header = readFully(channel, ByteBuffer.allocate((int) headerSize));
            return checkFileLength(HeaderParser.parse(header.array()), fileLength);
        } catch (IOException e) {
            throw io("could not read the header", e);
        }
    }

    /**
     * Reads and validates the header from a stream positioned at the start of a file of
     * {@code fileLength} bytes. Reads exactly 8 + N bytes and nothing more, so the caller
     * can go on reading the data area; a stream that ends early is
     * {@code INVALID_HEADER_LENGTH}.
     */
    public static SafetensorsHeader readHeader(InputStream in, long fileLength) {
        try {
            byte[] prefix = in.readNBytes((int) Math.max(0, Math.min(8, fileLength)));
            long headerSize = checkHeaderSize(prefix, fileLength);
            // readNBytes grows its buffer as bytes arrive, so a short stream cannot make it allocate N.
            byte[] header = in.readNBytes((int) headerSize);
            if (header.length != headerSize) {
                throw new SafetensorsException(Problem.INVALID_HEADER_LENGTH,
                        "the file ends inside its " + headerSize + "-byte header, after " + header.length + " bytes");
            }
            return checkFileLength(HeaderParser.parse(header), fileLength);
        } catch (IOException e) {
            throw io("could not read the header", e);
        }
    }

    /**
     * Validates a whole file as it streams past: the header, then that the data area holds
     * exactly the bytes the header promises, no fewer and no more. Uses constant memory
     * beyond the header, so it suits uploads; wrap the stream to hash it at the same time.
     */
    public static SafetensorsHeader validate(InputStream in, long fileLength) {
        SafetensorsHeader header = readHeader(in, fileLength);
        try {
            long expected = header.dataLength();
            long seen = 0;
            byte[] buffer = new byte[COPY_BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                seen += n;
                if (seen > expected) {
                    throw new SafetensorsException(Problem.METADATA_INCOMPLETE_BUFFER,
                            "the file goes on past the " + expected + " bytes of tensor data its header describes");
                }
            }
            if (seen != expected) {
                throw new SafetensorsException(Problem.METADATA_INCOMPLETE_BUFFER,
                        "the file is cut short: its header describes " + expected + " bytes of tensor data but only "
                                + seen + " follow");
            }
            return header;
        } catch (IOException e) {
            throw io("could not read the tensor data", e);
        }
    }

    /**
     * Reads one tensor's bytes into a little-endian buffer of exactly
     * {@link TensorInfo#byteLength()} bytes. {@code TENSOR_NOT_FOUND} if the header has no
     * such tensor; {@code METADATA_INCOMPLETE_BUFFER} if the file no longer matches the
     * header; {@code VALIDATION_OVERFLOW} for a tensor beyond the 2 GiB a buffer can hold.
     */
    public static ByteBuffer readTensor(FileChannel channel, SafetensorsHeader header, String name) {
        TensorInfo tensor = header.tensor(name).orElseThrow(() -> new SafetensorsException(Problem.TENSOR_NOT_FOUND,
                "the file has no tensor named '" + name + "'"));
        if (tensor.byteLength() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(Problem.VALIDATION_OVERFLOW,
                    "tensor '" + name + "' is " + tensor.byteLength() + " bytes, more than one buffer can hold");
        }
        try {
            if (channel.size() != header.fileLength()) {
                throw new SafetensorsException(Problem.METADATA_INCOMPLETE_BUFFER,
                        "the file is " + channel.size() + " bytes but its header says " + header.fileLength());
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) tensor.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
            long position = Math.addExact(header.dataOffset(), tensor.begin());
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new SafetensorsException(Problem.METADATA_INCOMPLETE_BUFFER,
                            "the file ended while reading tensor '" + name + "'");
                }
            }
            return buffer.flip();
        } catch (IOException e) {
            throw io("could not read tensor '" + name + "'", e);
        }
    }

    /** Checks 1 to 3: the prefix is whole, N is not absurd, and 8 + N fits in the file. */
    private static long checkHeaderSize(byte[] prefix, long fileLength) {
        if (prefix.length < 8 || fileLength < 8) {
            throw new SafetensorsException(Problem.HEADER_TOO_SMALL,
                    "the file is " + Math.max(fileLength, 0) + " bytes, too short to hold the 8-byte header length");
        }
        long headerSize = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Compared unsigned: the length is a u64, and a value with the top bit set is simply huge.
        if (Long.compareUnsigned(headerSize, MAX_HEADER_SIZE) > 0) {
            throw new SafetensorsException(Problem.HEADER_TOO_LARGE,
                    "the header claims " + Long.toUnsignedString(headerSize) + " bytes; at most " + MAX_HEADER_SIZE
                            + " are allowed");
        }
        if (8 + headerSize > fileLength) {
            throw new SafetensorsException(Problem.INVALID_HEADER_LENGTH,
                    "the header claims " + headerSize + " bytes but the file has only " + (fileLength - 8)
                            + " after the length");
        }
        return headerSize;
    }

    /** Check 7: the tensors end exactly where the file ends. */
    private static SafetensorsHeader checkFileLength(SafetensorsHeader header, long fileLength) {
        long expected = header.fileLength();
        if (expected != fileLength) {
            throw new SafetensorsException(Problem.METADATA_INCOMPLETE_BUFFER,
                    "the header describes a file of " + expected + " bytes but the file is " + fileLength + " bytes"
                            + (fileLength > expected ? " (trailing data after the last tensor)" : " (cut short)"));
        }
        return header;
    }

    private static ByteBuffer readFully(SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new SafetensorsException(Problem.INVALID_HEADER_LENGTH,
                        "the file changed while it was read: it ended inside its header");
            }
        }
        return buffer.flip();
    }

    private static SafetensorsException io(String message, IOException cause) {
        return new SafetensorsException(Problem.IO, message + ": " + cause.getMessage(), cause);
    }
}

package dev.quiver.schema.lfs;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Git LFS pointer file (spec v1): the sha256 and size of the real content, which lives in
 * the blob store.
 *
 * <p>{@link #parse} is strict: exactly the three lines git-lfs writes, in its order, each
 * ending in {@code \n}, a lower-case 64-hex oid and a size without sign or leading zeros.
 * Anything else, extensions included, is an ordinary file, so a pointer always re-renders
 * to the very bytes it was parsed from.
 *
 * @param oid the sha256 of the content, 64 lower-case hex digits
 * @param size the content's length in bytes
 */
public record LfsPointer(String oid, long size) {

    /** git-lfs refuses to treat files of this size or more as pointers. */
    public static final int MAX_POINTER_SIZE = 1024;

    private static final String VERSION_LINE = "version https://git-lfs.github.com/spec/v1\n";
    private static final Pattern OID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern BODY = Pattern.compile("oid sha256:([0-9a-f]{64})\nsize (0|[1-9][0-9]{0,18})\n");

    /** @throws IllegalArgumentException if the oid is not 64 lower-case hex digits or the size is negative */
    public LfsPointer {
        if (oid == null || !OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("an LFS oid is 64 lower-case hex digits, not '" + oid + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("an LFS object's size cannot be negative: " + size);
        }
    }

    /** The pointer in the file's content, or empty if the content is not exactly a v1 pointer. */
    public static Optional<LfsPointer> parse(byte[] content) {
        if (content.length >= MAX_POINTER_SIZE) {
            return Optional.empty();
        }
        // Pointers are pure ASCII: ISO-8859-1 maps each byte to one char, so no byte is lost or merged.
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (!text.startsWith(VERSION_LINE)) {
            return Optional.empty();
        }
        Matcher body = BODY.matcher(text.substring(VERSION_LINE.length()));
        if (!body.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LfsPointer(body.group(1), Long.parseLong(body.group(2))));
        } catch (NumberFormatException beyondLong) {
            return Optional.empty();
        }
    }

    /** The pointer file's exact text. */
    public String text() {
        return VERSION_LINE + "oid sha256:" + oid + "\nsize " + size + "\n";
    }
}

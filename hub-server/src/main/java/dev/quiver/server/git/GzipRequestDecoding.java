package dev.quiver.server.git;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Lets the web server accept gzip-compressed request bodies, which git sends for any fetch
 * negotiation over 1 KiB (many refs or many {@code have} lines), without ever compressing responses:
 * packs are compressed already, and LFS downloads and byte ranges must stay byte-exact.
 */
public final class GzipRequestDecoding implements ContentEncoding {
    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String type() {
        return "gzip";
    }

    @Override
    public Set<String> ids() {
        return Set.of("gzip", "x-gzip");
    }

    @Override
    public boolean supportsEncoding() {
        return false;
    }

    @Override
    public boolean supportsDecoding() {
        return true;
    }

    @Override
    public ContentDecoder decoder() {
        return in -> {
            try {
                return new GZIPInputStream(in, 64 << 10);
            } catch (IOException e) {
                throw new UncheckedIOException("request body is not valid gzip", e);
            }
        };
    }

    @Override
    public ContentEncoder encoder() {
        return ContentEncoder.NO_OP;
    }
}

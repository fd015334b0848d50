package dev.quiver.client;

import dev.quiver.client.HubException.Problem;
import dev.quiver.client.HubHttp.Options;
import dev.quiver.client.HubHttp.Subject;
import dev.quiver.schema.safetensors.SafetensorsException;
import dev.quiver.schema.safetensors.SafetensorsHeader;
import dev.quiver.schema.safetensors.SafetensorsReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads small things from files on the hub without downloading them: a small file whole, and the
 * header of a safetensors file with two Range requests (8 bytes, then the header), the way the Hub
 * itself reads them — so a 10 GB base model costs a few kilobytes to inspect.
 */
public final class RemoteFiles {
    private static final Pattern TOTAL = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

    private final HubHttp http;

    public RemoteFiles(HubHttp http) {
        this.http = http;
    }

    /** A whole file, refused when larger than {@code maxBytes}. */
    public byte[] read(RepoRef repo, String revision, String path, int maxBytes) {
        HttpResponse<InputStream> r = http.send(http.get(url(repo, revision, path)).build(), Options.READ);
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw http.failure(r.statusCode(), r.headers(), in.readAllBytes(), Subject.of(repo, revision, path));
            }
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new HubException(Problem.OTHER, path + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "reading " + path + " failed: "
                    + HubHttp.describe(e), e);
        }
    }

    /** The validated header of a remote safetensors file. */
    public SafetensorsHeader safetensorsHeader(RepoRef repo, String revision, String path) {
        Subject subject = Subject.of(repo, revision, path);
        Range first = range(repo, revision, path, 0, 7, subject);
        if (first.bytes().length != 8) {
            throw new HubException(Problem.OTHER, path + " is too short to be a safetensors file");
        }
        long headerSize = ByteBuffer.wrap(first.bytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerSize <= 0 || headerSize > SafetensorsReader.MAX_HEADER_SIZE || headerSize > first.total() - 8) {
            throw new HubException(Problem.OTHER, path + " has an invalid safetensors header size " + headerSize);
        }
        Range header = range(repo, revision, path, 8, 8 + headerSize - 1, subject);
        try {
            return SafetensorsReader.readHeader(new SequenceInputStream(new ByteArrayInputStream(first.bytes()),
                    new ByteArrayInputStream(header.bytes())), first.total());
        } catch (SafetensorsException e) {
            throw new HubException(Problem.OTHER, path + " is not a valid safetensors file: " + e.getMessage());
        }
    }

    private record Range(byte[] bytes, long total) {
    }

    private Range range(RepoRef repo, String revision, String path, long from, long to, Subject subject) {
        HttpRequest request = http.get(url(repo, revision, path)).timeout(Duration.ofMinutes(2))
                .header("Range", "bytes=" + from + "-" + to).build();
        HttpResponse<InputStream> r = http.send(request, Options.READ);
        try (InputStream in = r.body()) {
            if (r.statusCode() != 206) {
                byte[] body = in.readNBytes(1 << 16);
                if (r.statusCode() / 100 == 2) {
                    throw new HubException(Problem.OTHER, "the hub does not answer Range requests for " + path);
                }
                throw http.failure(r.statusCode(), r.headers(), body, subject);
            }
            Matcher m = TOTAL.matcher(r.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches()) {
                throw new HubException(Problem.OTHER, "the hub's reply for " + path + " has no usable Content-Range");
            }
            byte[] bytes = in.readNBytes((int) (to - from + 1));
            return new Range(bytes, Long.parseLong(m.group(1)));
        } catch (IOException e) {
            throw new HubException(Problem.UNAVAILABLE, 0, Optional.empty(), "reading " + path + " failed: "
                    + HubHttp.describe(e), e);
        }
    }

    private URI url(RepoRef repo, String revision, String path) {
        return http.url(repo.webPath() + "/resolve/" + UrlPaths.segment(revision) + "/" + UrlPaths.path(RepoFilePath.check(path)));
    }
}

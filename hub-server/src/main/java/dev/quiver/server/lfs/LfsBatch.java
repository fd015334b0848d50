package dev.quiver.server.lfs;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers Git LFS batch requests: for each object, what the client should do. Stored objects need
 * no action. Uploads get a signed {@code basic} PUT URL, or, for large objects when the client
 * offers HF's {@code multipart} transfer, signed part URLs and a completion URL. Downloads get a
 * signed GET URL. Every URL is signed because HF clients send no credentials to them.
 */
public final class LfsBatch {
    /** Objects above this go in parts when the client can (HF clients send parts in parallel). */
    public static final long MULTIPART_THRESHOLD = 64L << 20;
    public static final long CHUNK_SIZE = 32L << 20;
    /** Largest single object the hub accepts. */
    public static final long MAX_OBJECT_SIZE = 500L << 30;
    static final long URL_LIFETIME_SECONDS = 3600;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlobStore blobs;
    private final UrlSigner signer;

    public LfsBatch(BlobStore blobs, UrlSigner signer) {
        this.blobs = blobs;
        this.signer = signer;
    }

    /** One object a client asked about. */
    public record Request(String oid, long size) {
    }

    /** The answer for one object: actions (maybe none), or an error with an LFS error code. */
    public record Answer(String oid, long size, Map<String, Object> actions, Optional<Error> error) {
    }

    /** A per-object error in the LFS shape. */
    public record Error(int code, String message) {
    }

    /** The whole reply: the transfer adapter chosen and one answer per object. */
    public record Reply(String transfer, List<Answer> objects) {
    }

    public Reply upload(List<Request> objects, boolean multipartOffered, String baseUrl) {
        List<Answer> answers = new ArrayList<>();
        boolean anyMultipart = false;
        for (Request o : objects) {
            Optional<Error> invalid = check(o);
            if (invalid.isPresent()) {
                answers.add(new Answer(o.oid(), o.size(), Map.of(), invalid));
            } else if (blobs.size(o.oid()).map(s -> s == o.size()).orElse(false)) {
                answers.add(new Answer(o.oid(), o.size(), Map.of(), Optional.empty()));
            } else if (multipartOffered && o.size() > MULTIPART_THRESHOLD) {
                anyMultipart = true;
                answers.add(new Answer(o.oid(), o.size(), Map.of("upload", multipart(o, baseUrl)), Optional.empty()));
            } else {
                answers.add(new Answer(o.oid(), o.size(), basic(o, baseUrl), Optional.empty()));
            }
        }
        return new Reply(anyMultipart ? "multipart" : "basic", answers);
    }

    public Reply download(List<Request> objects, String baseUrl) {
        List<Answer> answers = new ArrayList<>();
        for (Request o : objects) {
            Optional<Error> invalid = check(o);
            Optional<Long> stored = invalid.isPresent() ? Optional.empty() : blobs.size(o.oid());
            if (invalid.isPresent()) {
                answers.add(new Answer(o.oid(), o.size(), Map.of(), invalid));
            } else if (stored.isEmpty()) {
                answers.add(new Answer(o.oid(), o.size(), Map.of(), Optional.of(new Error(404, "Object does not exist"))));
            } else {
                long expires = signer.expiry(URL_LIFETIME_SECONDS);
                String href = baseUrl + "/api/lfs/objects/" + o.oid() + signature("download|" + o.oid(), expires);
                answers.add(new Answer(o.oid(), stored.get(), Map.of("download", action(href)), Optional.empty()));
            }
        }
        return new Reply("basic", answers);
    }

    private static Optional<Error> check(Request o) {
        if (!BlobStore.isOid(o.oid())) {
            return Optional.of(new Error(422, "invalid oid: expected 64 lower-case hex digits of a sha256"));
        }
        if (o.size() < 0 || o.size() > MAX_OBJECT_SIZE) {
            return Optional.of(new Error(422, "invalid size " + o.size() + ": objects may be 0 to "
                    + MAX_OBJECT_SIZE + " bytes"));
        }
        return Optional.empty();
    }

    private Map<String, Object> basic(Request o, String baseUrl) {
        long expires = signer.expiry(URL_LIFETIME_SECONDS);
        String what = "upload|" + o.oid() + "|" + o.size();
        Map<String, Object> actions = new LinkedHashMap<>();
        actions.put("upload", action(baseUrl + "/api/lfs/upload/" + o.oid() + "/" + o.size() + signature(what, expires)));
        actions.put("verify", action(baseUrl + "/api/lfs/verify"));
        return actions;
    }

    private Map<String, Object> multipart(Request o, String baseUrl) {
        long expires = signer.expiry(URL_LIFETIME_SECONDS);
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        String uploadId = o.oid() + "-" + HexFormat.of().formatHex(nonce);
        long parts = (o.size() + CHUNK_SIZE - 1) / CHUNK_SIZE;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("chunk_size", Long.toString(CHUNK_SIZE));
        for (long n = 1; n <= parts; n++) {
            long offset = (n - 1) * CHUNK_SIZE;
            long length = Math.min(CHUNK_SIZE, o.size() - offset);
            String what = "part|" + uploadId + "|" + offset + "|" + length;
            header.put(Long.toString(n), baseUrl + "/api/lfs/part/" + uploadId + "/" + offset + "/" + length
                    + signature(what, expires));
        }
        String complete = "complete|" + uploadId + "|" + o.size();
        Map<String, Object> upload = new LinkedHashMap<>(action(baseUrl + "/api/lfs/complete/" + uploadId + "/"
                + o.size() + signature(complete, expires)));
        upload.put("header", header);
        return upload;
    }

    private String signature(String what, long expires) {
        return "?expires=" + expires + "&sig=" + signer.sign(what, expires);
    }

    private static Map<String, Object> action(String href) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("href", href);
        a.put("expires_in", URL_LIFETIME_SECONDS);
        return a;
    }
}

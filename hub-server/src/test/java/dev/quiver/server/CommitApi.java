package dev.quiver.server;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds HF commit-API requests in tests: NDJSON lines and LFS uploads through the batch API. */
public final class CommitApi {
    private final TestHub hub;
    private final String repoPath;
    private final List<String> lines = new ArrayList<>();

    private CommitApi(TestHub hub, String repoPath, String summary, String parent) {
        this.hub = hub;
        this.repoPath = repoPath;
        lines.add("{\"key\":\"header\",\"value\":{\"summary\":" + quote(summary) + ",\"description\":\"\""
                + (parent == null ? "" : ",\"parentCommit\":\"" + parent + "\"") + "}}");
    }

    /** A commit to {@code repoPath} ({@code models/acme/x} or {@code datasets/acme/x}). */
    public static CommitApi to(TestHub hub, String repoPath, String summary) {
        return new CommitApi(hub, repoPath, summary, null);
    }

    static CommitApi to(TestHub hub, String repoPath, String summary, String parentCommit) {
        return new CommitApi(hub, repoPath, summary, parentCommit);
    }

    CommitApi file(String path, byte[] content) {
        return raw("{\"key\":\"file\",\"value\":{\"path\":" + quote(path) + ",\"content\":\""
                + Base64.getEncoder().encodeToString(content) + "\",\"encoding\":\"base64\"}}");
    }

    public CommitApi file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public CommitApi lfs(String path, String oid, long size) {
        return raw("{\"key\":\"lfsFile\",\"value\":{\"path\":" + quote(path) + ",\"algo\":\"sha256\",\"oid\":\""
                + oid + "\",\"size\":" + size + "}}");
    }

    CommitApi deleted(String path) {
        return raw("{\"key\":\"deletedFile\",\"value\":{\"path\":" + quote(path) + "}}");
    }

    CommitApi raw(String line) {
        lines.add(line);
        return this;
    }

    public HttpResponse<String> post(String revision) {
        return hub.send(hub.request("/api/" + repoPath + "/commit/" + revision)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n")).build());
    }

    /** The commit id from a successful reply. */
    public static String commitOid(HttpResponse<String> reply) {
        Matcher m = Pattern.compile("\"commitOid\":\"([0-9a-f]{40})\"").matcher(reply.body());
        if (reply.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("commit failed: " + reply.statusCode() + " " + reply.body());
        }
        return m.group(1);
    }

    /** Uploads {@code bytes} through the LFS batch API and its signed PUT URL; returns the oid. */
    public static String uploadLfs(TestHub hub, String repoWebPath, byte[] bytes) {
        String oid = sha256(bytes);
        HttpResponse<String> batch = hub.send(hub.request("/" + repoWebPath + ".git/info/lfs/objects/batch")
                .header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"upload\",\"transfers\":[\"basic\"],"
                        + "\"objects\":[{\"oid\":\"" + oid + "\",\"size\":" + bytes.length + "}]}")).build());
        Matcher m = Pattern.compile("\"upload\":\\{\"href\":\"([^\"]+)\"").matcher(batch.body());
        if (m.find()) {
            HttpResponse<String> put = hub.send(HttpRequest.newBuilder(java.net.URI.create(m.group(1)))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("LFS PUT failed: " + put.statusCode() + " " + put.body());
            }
        }
        return oid;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}

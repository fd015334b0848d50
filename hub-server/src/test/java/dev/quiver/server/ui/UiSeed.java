package dev.quiver.server.ui;

import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.TestHub;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds a hub for the browser tests the way a client would: repositories created and files committed
 * through the HTTP API (NDJSON commits, LFS uploads through the batch API and their signed URLs).
 */
final class UiSeed {
    private final TestHub hub;

    UiSeed(TestHub hub) {
        this.hub = hub;
    }

    /** A commit being built: regular files inline, large files through LFS. */
    final class Commit {
        private final String apiPath;
        private final String webPath;
        private final List<String> lines = new ArrayList<>();

        private Commit(String type, String id, String summary) {
            this.apiPath = "/api/" + type + "s/" + id;
            this.webPath = (type.equals("dataset") ? "datasets/" : "") + id;
            lines.add("{\"key\":\"header\",\"value\":{\"summary\":" + quote(summary) + ",\"description\":\"\"}}");
        }

        Commit file(String path, String text) {
            lines.add("{\"key\":\"file\",\"value\":{\"path\":" + quote(path) + ",\"content\":\""
                    + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
                    + "\",\"encoding\":\"base64\"}}");
            return this;
        }

        Commit lfs(String path, byte[] bytes) {
            String oid = upload(webPath, bytes);
            lines.add("{\"key\":\"lfsFile\",\"value\":{\"path\":" + quote(path) + ",\"algo\":\"sha256\",\"oid\":\""
                    + oid + "\",\"size\":" + bytes.length + "}}");
            return this;
        }

        /** Commits to main; returns the commit id. */
        String push() {
            HttpResponse<String> r = hub.send(hub.request(apiPath + "/commit/main")
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines) + "\n")).build());
            Matcher m = Pattern.compile("\"commitOid\":\"([0-9a-f]{40})\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("commit to " + apiPath + " failed: " + r.statusCode() + " " + r.body());
            }
            return m.group(1);
        }
    }

    /** Creates a repository ({@code model} or {@code dataset}) and starts its first commit. */
    Commit create(String type, String id) {
        hub.createRepo(type, id);
        return new Commit(type, id, "Initial content");
    }

    Commit commit(String type, String id, String summary) {
        return new Commit(type, id, summary);
    }

    private String upload(String webPath, byte[] bytes) {
        String oid = sha256(bytes);
        HttpResponse<String> batch = hub.send(hub.request("/" + webPath + ".git/info/lfs/objects/batch")
                .header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"upload\",\"transfers\":[\"basic\"],"
                        + "\"objects\":[{\"oid\":\"" + oid + "\",\"size\":" + bytes.length + "}]}")).build());
        Matcher m = Pattern.compile("\"upload\":\\{\"href\":\"([^\"]+)\"").matcher(batch.body());
        if (m.find()) {
            HttpResponse<String> put = hub.send(HttpRequest.newBuilder(URI.create(m.group(1)))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("LFS upload failed: " + put.statusCode() + " " + put.body());
            }
        }
        return oid;
    }

    /** A safetensors file of F32 tensors filled with a simple pattern; {@code shapes} pairs names with shapes. */
    static byte[] safetensors(Object... namesAndShapes) {
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            long[] shape = (long[]) namesAndShapes[i + 1];
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            ByteBuffer data = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                data.putFloat((k % 7) * 0.01f);
            }
            data.flip();
            w.add((String) namesAndShapes[i], Dtype.F32, shape, data);
        }
        return w.toBytes();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quote(String s) {
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

package dev.quiver.server.ui;

import dev.quiver.schema.safetensors.Dtype;
import dev.quiver.schema.safetensors.SafetensorsWriter;
import dev.quiver.server.CommitApi;
import dev.quiver.server.TestHub;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
        private final String webPath;
        private final CommitApi commit;

        private Commit(String type, String id, String summary) {
            this.webPath = (type.equals("dataset") ? "datasets/" : "") + id;
            this.commit = CommitApi.to(hub, type + "s/" + id, summary);
        }

        Commit file(String path, String text) {
            commit.file(path, text);
            return this;
        }

        Commit lfs(String path, byte[] bytes) {
            commit.lfs(path, CommitApi.uploadLfs(hub, webPath, bytes), bytes.length);
            return this;
        }

        /** Commits to main; returns the commit id. */
        String push() {
            return CommitApi.commitOid(commit.post("main"));
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
}

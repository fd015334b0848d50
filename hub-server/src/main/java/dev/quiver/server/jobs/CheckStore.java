package dev.quiver.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.schema.json.Json;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Verdicts on adapter commits. They live in the repository as git notes under
 * {@value #NOTES_REF} (so a clone, a mirror or a backup carries the whole trust history, as Gerrit
 * keeps review data in git); the database only indexes them for listing and search.
 */
public final class CheckStore {
    public static final String NOTES_REF = "refs/notes/quiver-checks";

    private final Database db;
    private final RepoStore repos;
    private final RepoWriter writer;
    private final Outbox outbox;

    public CheckStore(Database db, RepoStore repos, RepoWriter writer, Outbox outbox) {
        this.db = db;
        this.repos = repos;
        this.writer = writer;
        this.outbox = outbox;
    }

    /** Adds or replaces (by name) checks on {@code commit}: first in the notes, then in the index. */
    public void record(RepoId repo, String commit, List<Check> checks) {
        writer.locked(repo, () -> {
            writeNote(repo, commit, checks);
            return null;
        });
        String now = Instant.now().toString();
        db.transaction(c -> {
            for (Check check : checks) {
                Database.update(c, "INSERT OR REPLACE INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", repo.type().name(),
                        repo.owner(), repo.name(), commit, check.name(), check.status().wire(), check.summary(),
                        check.details().toString(), now);
            }
            return null;
        });
        outbox.append(RepoEvent.Kind.CHECKS_RECORDED, repo, commit, status(repo, commit));
    }

    /** The checks recorded on {@code commit}, read from its git note. */
    public List<Check> of(RepoId repo, String commit) {
        return notes(repo, commit).values().stream().toList();
    }

    private Map<String, Check> notes(RepoId repo, String commit) {
        Repository git = repos.git(repo);
        try (ObjectReader reader = git.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Ref ref = git.exactRef(NOTES_REF);
            if (ref == null) {
                return new LinkedHashMap<>();
            }
            NoteMap map = NoteMap.read(reader, walk.parseCommit(ref.getObjectId()));
            Note note = map.getNote(ObjectId.fromString(commit));
            return note == null ? new LinkedHashMap<>() : parse(reader.open(note.getData()).getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeNote(RepoId repo, String commit, List<Check> checks) {
        Repository git = repos.git(repo);
        Map<String, Check> merged = notes(repo, commit);
        checks.forEach(c -> merged.put(c.name(), c));
        try (ObjectInserter ins = git.newObjectInserter(); ObjectReader reader = git.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            Ref ref = git.exactRef(NOTES_REF);
            RevCommit parent = ref == null ? null : walk.parseCommit(ref.getObjectId());
            NoteMap map = parent == null ? NoteMap.newEmptyMap() : NoteMap.read(reader, parent);
            map.set(ObjectId.fromString(commit), render(commit, merged), ins);
            CommitBuilder notesCommit = new CommitBuilder();
            notesCommit.setTreeId(map.writeTree(ins));
            if (parent != null) {
                notesCommit.setParentId(parent);
            }
            notesCommit.setAuthor(RepoWriter.hubIdent());
            notesCommit.setCommitter(RepoWriter.hubIdent());
            notesCommit.setMessage("Checks for " + commit + "\n");
            ObjectId id = ins.insert(notesCommit);
            ins.flush();
            writer.moveRef(repo, NOTES_REF, parent == null ? ObjectId.zeroId() : parent, id, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String render(String commit, Map<String, Check> checks) {
        ObjectNode root = Json.mapper().createObjectNode().put("commit", commit);
        ArrayNode list = root.putArray("checks");
        for (Check c : checks.values()) {
            list.addObject().put("name", c.name()).put("status", c.status().wire()).put("summary", c.summary())
                    .set("details", c.details());
        }
        return root.toPrettyString() + "\n";
    }

    private static Map<String, Check> parse(byte[] note) {
        Map<String, Check> out = new LinkedHashMap<>();
        try {
            for (JsonNode c : Json.mapper().readTree(new String(note, StandardCharsets.UTF_8)).path("checks")) {
                out.put(c.path("name").asText(), new Check(c.path("name").asText(),
                        Check.Status.parse(c.path("status").asText("fail")), c.path("summary").asText(""),
                        c.path("details")));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // a hand-edited or foreign note is not ours to interpret
        }
        return out;
    }

    /** The overall state of a commit for listings: {@code passed}, {@code failed} or {@code unverified}. */
    public String status(RepoId repo, String commit) {
        List<String> statuses = db.query("SELECT status FROM checks WHERE repo_type = ? AND owner = ? AND name = ? AND"
                + " commit_id = ?", r -> r.getString(1), repo.type().name(), repo.owner(), repo.name(), commit);
        if (statuses.isEmpty()) {
            return "unverified";
        }
        return statuses.contains("fail") ? "failed" : "passed";
    }
}

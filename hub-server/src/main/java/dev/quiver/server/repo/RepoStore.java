package dev.quiver.server.repo;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.RepoEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The repositories on disk ({@code DATA/repos/{models|datasets}/{owner}/{name}.git}) and their
 * metadata rows. A repository is created whole in a temporary directory with its initial commit and
 * renamed into place, so a half-created repository is never visible.
 */
public final class RepoStore implements AutoCloseable {
    public static final String DEFAULT_BRANCH = "main";

    private final Path root;
    private final Database db;
    private final Outbox outbox;
    private final ConcurrentHashMap<RepoId, Repository> open = new ConcurrentHashMap<>();
    private final byte[] defaultGitattributes;

    public RepoStore(Path dataDir, Database db, Outbox outbox) {
        this.root = dataDir.resolve("repos");
        this.db = db;
        this.outbox = outbox;
        try (InputStream in = RepoStore.class.getResourceAsStream("default.gitattributes")) {
            this.defaultGitattributes = in.readAllBytes();
            Files.createDirectories(root.resolve(".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a repository with HF's initial commit (a default {@code .gitattributes}); 409 if it exists. */
    public RepoInfo create(RepoId id, boolean isPrivate, PersonIdent creator) {
        Instant now = Instant.now();
        db.transaction(c -> {
            if (!Database.query(c, "SELECT 1 FROM repos WHERE type = ? AND owner = ? AND name = ?", r -> 1,
                    id.type().name(), id.owner(), id.name()).isEmpty()) {
                throw new QuiverException(Reason.CONFLICT, "You already created this " + id.type().singular()
                        + " repo: " + id.id());
            }
            Database.update(c, "INSERT INTO repos (type, owner, name, private, created_at) VALUES (?, ?, ?, ?, ?)",
                    id.type().name(), id.owner(), id.name(), isPrivate ? 1 : 0, now.toString());
            Database.update(c, "DELETE FROM repo_moves WHERE type = ? AND from_owner = ? AND from_name = ?",
                    id.type().name(), id.owner(), id.name());
            initOnDisk(id, creator);
            outbox.append(c, RepoEvent.Kind.REPO_CREATED, id);
            return null;
        });
        return info(id).orElseThrow();
    }

    private void initOnDisk(RepoId id, PersonIdent creator) {
        Path target = gitDir(id);
        Path tmp = root.resolve(".tmp").resolve(UUID.randomUUID() + ".git");
        try {
            if (Files.exists(target)) {
                deleteTree(target); // left by a crash after the row was removed; the row is the truth
            }
            try (Repository repo = FileRepositoryBuilder.create(tmp.toFile())) {
                repo.create(true);
                configure(repo.getConfig());
                writeInitialCommit(repo, creator);
            }
            Files.createDirectories(target.getParent());
            move(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot create repository " + id, e);
        }
    }

    private void writeInitialCommit(Repository repo, PersonIdent creator) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            DirCacheEntry entry = new DirCacheEntry(".gitattributes");
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(ins.insert(Constants.OBJ_BLOB, defaultGitattributes));
            builder.add(entry);
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(ins));
            commit.setAuthor(creator);
            commit.setCommitter(creator);
            commit.setMessage("initial commit\n");
            ObjectId id = ins.insert(commit);
            ins.flush();
            RefUpdate update = repo.updateRef(Constants.R_HEADS + DEFAULT_BRANCH);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW) {
                throw new IOException("initial ref update failed: " + result);
            }
            repo.getRefDatabase().newUpdate(Constants.HEAD, false).link(Constants.R_HEADS + DEFAULT_BRANCH);
        }
    }

    /** Server settings every hub repository gets: durable writes, and clone-friendly packing. */
    private static void configure(StoredConfig config) throws IOException {
        config.setBoolean("core", null, "fsyncObjectFiles", true);
        config.setBoolean("core", null, "fsyncRefFiles", true);
        config.setBoolean("core", null, "logAllRefUpdates", true);
        config.setBoolean("pack", null, "buildBitmaps", true);
        config.setBoolean("receive", null, "denyNonFastForwards", true);
        // JGit would otherwise gc in the push thread, outside RepoWriter's lock; git.Housekeeping repacks instead
        config.setBoolean("receive", null, "autogc", false);
        config.setBoolean("uploadpack", null, "allowFilter", true);
        config.save();
    }

    /** Metadata for a repository, if it exists (visibility is not checked here). */
    public Optional<RepoInfo> info(RepoId id) {
        return db.queryOne("SELECT * FROM repos WHERE type = ? AND owner = ? AND name = ?", RepoStore::row,
                id.type().name(), id.owner(), id.name());
    }

    /** Every repository of a type, for rebuilding derived data such as the search index. */
    public List<RepoInfo> list(RepoType type) {
        return db.query("SELECT * FROM repos WHERE type = ? ORDER BY owner, name", RepoStore::row, type.name());
    }

    /** The new id of a repository that was moved away from {@code id}. */
    public Optional<RepoId> movedTo(RepoId id) {
        return db.queryOne("SELECT to_owner, to_name FROM repo_moves WHERE type = ? AND from_owner = ? AND from_name = ?",
                r -> new RepoId(id.type(), r.getString(1), r.getString(2)), id.type().name(), id.owner(), id.name());
    }

    /** The open git repository; callers must not close it. */
    public Repository git(RepoId id) {
        return open.computeIfAbsent(id, k -> {
            Path dir = gitDir(k);
            if (!Files.isDirectory(dir)) {
                throw new QuiverException(Reason.REPO_NOT_FOUND, "Repository not found: " + k.id());
            }
            try {
                return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public Path gitDir(RepoId id) {
        return root.resolve(id.type().plural()).resolve(id.owner()).resolve(id.name() + ".git");
    }

    public void setPrivate(RepoId id, boolean isPrivate) {
        updateSetting(id, "private", isPrivate ? 1 : 0);
    }

    public void setGated(RepoId id, String gated) {
        updateSetting(id, "gated", gated);
    }

    public void setAllowForcePush(RepoId id, boolean allow) {
        updateSetting(id, "allow_force_push", allow ? 1 : 0);
    }

    private void updateSetting(RepoId id, String column, Object value) {
        db.transaction(c -> {
            int n = Database.update(c, "UPDATE repos SET " + column + " = ? WHERE type = ? AND owner = ? AND name = ?",
                    value, id.type().name(), id.owner(), id.name());
            if (n == 0) {
                throw new QuiverException(Reason.REPO_NOT_FOUND, "Repository not found: " + id.id());
            }
            outbox.append(c, RepoEvent.Kind.REPO_SETTINGS_CHANGED, id);
            return null;
        });
    }

    /** Counts one download (HF counts fetches of config files). */
    public void countDownload(RepoId id) {
        db.update("UPDATE repos SET downloads = downloads + 1 WHERE type = ? AND owner = ? AND name = ?",
                id.type().name(), id.owner(), id.name());
    }

    /** Allocates the next pull-request number. */
    public int nextPullRequest(RepoId id) {
        return db.transaction(c -> {
            int n = Database.query(c, "SELECT next_pr FROM repos WHERE type = ? AND owner = ? AND name = ?",
                    r -> r.getInt(1), id.type().name(), id.owner(), id.name()).getFirst();
            Database.update(c, "UPDATE repos SET next_pr = ? WHERE type = ? AND owner = ? AND name = ?", n + 1,
                    id.type().name(), id.owner(), id.name());
            return n;
        });
    }

    /** Deletes a repository: its row goes first (it is the truth), then the directory is moved aside and removed. */
    public void delete(RepoId id) {
        db.transaction(c -> {
            int n = Database.update(c, "DELETE FROM repos WHERE type = ? AND owner = ? AND name = ?",
                    id.type().name(), id.owner(), id.name());
            if (n == 0) {
                throw new QuiverException(Reason.REPO_NOT_FOUND, "Repository not found: " + id.id());
            }
            outbox.append(c, RepoEvent.Kind.REPO_DELETED, id);
            return null;
        });
        Repository repo = open.remove(id);
        if (repo != null) {
            repo.close();
        }
        Path trash = root.resolve(".tmp").resolve("deleted-" + UUID.randomUUID());
        try {
            if (Files.exists(gitDir(id))) {
                move(gitDir(id), trash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteQuietly(trash);
    }

    /** Renames a repository; the old id then redirects to the new one. */
    public void move(RepoId from, RepoId to) {
        if (from.type() != to.type()) {
            throw QuiverException.badRequest("a repository cannot change its type when moved");
        }
        db.transaction(c -> {
            if (Database.query(c, "SELECT 1 FROM repos WHERE type = ? AND owner = ? AND name = ?", r -> 1,
                    from.type().name(), from.owner(), from.name()).isEmpty()) {
                throw new QuiverException(Reason.REPO_NOT_FOUND, "Repository not found: " + from.id());
            }
            if (!Database.query(c, "SELECT 1 FROM repos WHERE type = ? AND owner = ? AND name = ?", r -> 1,
                    to.type().name(), to.owner(), to.name()).isEmpty()) {
                throw new QuiverException(Reason.CONFLICT, "Repository " + to.id() + " already exists");
            }
            Database.update(c, "UPDATE repos SET owner = ?, name = ? WHERE type = ? AND owner = ? AND name = ?",
                    to.owner(), to.name(), from.type().name(), from.owner(), from.name());
            Database.update(c, "INSERT OR REPLACE INTO repo_moves VALUES (?, ?, ?, ?, ?)", from.type().name(),
                    from.owner(), from.name(), to.owner(), to.name());
            Repository repo = open.remove(from);
            if (repo != null) {
                repo.close();
            }
            try {
                Files.createDirectories(gitDir(to).getParent());
                move(gitDir(from), gitDir(to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            outbox.append(c, RepoEvent.Kind.REPO_DELETED, from);
            outbox.append(c, RepoEvent.Kind.REPO_CREATED, to);
            return null;
        });
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // Leftovers under .tmp are invisible to readers; nothing depends on their removal.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static RepoInfo row(ResultSet r) throws SQLException {
        RepoId id = new RepoId(RepoType.valueOf(r.getString("type").toUpperCase(Locale.ROOT)), r.getString("owner"),
                r.getString("name"));
        return new RepoInfo(id, r.getInt("private") != 0, r.getString("gated"), r.getInt("allow_force_push") != 0,
                r.getLong("downloads"), r.getLong("likes"), Instant.parse(r.getString("created_at")));
    }

    @Override
    public void close() {
        open.values().forEach(Repository::close);
        open.clear();
    }
}

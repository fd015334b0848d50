package dev.quiver.server.git;

import dev.quiver.server.QuiverException;
import dev.quiver.server.auth.Caller;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceiveCommand.Result;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * The pre-receive step of a push: checks the pushed commands against {@link PushRules}, then moves
 * every ref itself through {@link RepoWriter#moveRef} while holding the repository's write lock, so a
 * push stages and confirms outbox events exactly like an API commit, and JGit moves nothing. A push
 * is atomic whether or not the client asked: one refused ref refuses them all, and a ref that fails
 * to move rolls back the ones already moved. Explanations reach the user's terminal as
 * {@code remote:} lines.
 */
public final class PushHook implements PreReceiveHook {
    static final String ABORTED = "atomic push: another ref in this push was refused";

    /** Makes the hook for one push. */
    @FunctionalInterface
    public interface Factory {
        PushHook create(RepoInfo repo, Caller caller);

        static Factory of(PushRules rules, RepoWriter writer) {
            return (repo, caller) -> new PushHook(rules, writer, repo);
        }
    }

    private final PushRules rules;
    private final RepoWriter writer;
    private final RepoInfo repo;

    PushHook(PushRules rules, RepoWriter writer, RepoInfo repo) {
        this.rules = rules;
        this.writer = writer;
        this.repo = repo;
    }

    @Override
    public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        List<ReceiveCommand> refused = rp.getAllCommands().stream()
                .filter(c -> c.getResult() != Result.NOT_ATTEMPTED && c.getResult() != Result.OK).toList();
        if (!refused.isEmpty()) {
            refused.forEach(c -> explainJGitRefusal(rp, c));
            abort(commands, ABORTED);
            return;
        }
        List<String> problems;
        try {
            problems = rules.check(rp.getRepository(), repo, commands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            rp.sendMessage("Quiver refused this push:");
            problems.forEach(p -> rp.sendMessage("  " + p));
            String summary = problems.getFirst() + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                    + " more problems)" : "");
            abort(commands, summary);
            return;
        }
        writer.locked(repo.id(), () -> apply(rp, List.copyOf(commands)));
    }

    private Void apply(ReceivePack rp, List<ReceiveCommand> commands) {
        List<ReceiveCommand> moved = new ArrayList<>();
        for (ReceiveCommand cmd : commands) {
            try {
                writer.moveRef(repo.id(), cmd.getRefName(), cmd.getOldId(), cmd.getNewId(),
                        cmd.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD);
                moved.add(cmd);
            } catch (QuiverException | UncheckedIOException e) {
                rollBack(rp, moved);
                rp.sendMessage(cmd.getRefName() + ": " + e.getMessage());
                abort(commands, ABORTED);
                cmd.setResult(Result.LOCK_FAILURE, e.getMessage() + "; fetch and push again");
                return null;
            }
        }
        moved.forEach(c -> c.setResult(Result.OK));
        return null;
    }

    /** Puts back refs this push already moved, newest first, so the push leaves nothing behind. */
    private void rollBack(ReceivePack rp, List<ReceiveCommand> moved) {
        for (int i = moved.size() - 1; i >= 0; i--) {
            ReceiveCommand cmd = moved.get(i);
            ObjectId back = cmd.getOldId();
            writer.moveRef(repo.id(), cmd.getRefName(), cmd.getNewId(), back, true);
            rp.sendMessage(cmd.getRefName() + ": put back to " + back.abbreviate(7).name());
        }
    }

    private void explainJGitRefusal(ReceivePack rp, ReceiveCommand cmd) {
        if (cmd.getResult() == Result.REJECTED_NONFASTFORWARD) {
            rp.sendMessage(cmd.getRefName() + ": not a fast-forward; this repository refuses force pushes"
                    + (repo.allowForcePush() ? "" : " (settings: allowForcePush)") + ". Fetch, merge and push again.");
        }
    }

    private static void abort(Collection<ReceiveCommand> commands, String message) {
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() == Result.NOT_ATTEMPTED || cmd.getResult() == Result.OK) {
                cmd.setResult(Result.REJECTED_OTHER_REASON, message);
            }
        }
    }
}

package dev.quiver.server.git;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.auth.Caller;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git's smart protocol over stateless HTTP, driven through JGit's {@link UploadPack} and
 * {@link ReceivePack} directly (JGit's own HTTP server needs a servlet container). Reads need read
 * access and writes write access, checked by {@link Permissions} before any byte of git data moves.
 * Pushed refs never move inside JGit: {@link PushHook} validates them and moves them through
 * {@link RepoWriter}, the one write path.
 */
public final class GitService {
    private static final Logger LOG = Logger.getLogger(GitService.class.getName());

    private final RepoStore repos;
    private final Permissions permissions;
    private final PushHook.Factory pushHooks;

    public GitService(RepoStore repos, Permissions permissions, PushHook.Factory pushHooks) {
        this.repos = repos;
        this.permissions = permissions;
        this.pushHooks = pushHooks;
    }

    /** The two git services a client can ask for. */
    public enum Service {
        UPLOAD_PACK("git-upload-pack"), RECEIVE_PACK("git-receive-pack");

        private final String wireName;

        Service(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Service> fromWireName(String name) {
            for (Service s : values()) {
                if (s.wireName.equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** A repository the caller was allowed to use for a service; obtained before the response starts. */
    public record Session(Caller caller, RepoInfo info, Repository git, Service service) {
    }

    /** Checks the caller may use {@code service} on {@code id}: 401, 403 or {@code RepoNotFound} if not. */
    public Session open(Caller caller, RepoId id, Service service) {
        RepoInfo info = service == Service.UPLOAD_PACK ? permissions.readable(caller, id)
                : permissions.writable(caller, id);
        return new Session(caller, info, repos.git(id), service);
    }

    /**
     * The {@code info/refs} advertisement. {@code protocol} holds the {@code Git-Protocol} parameters
     * ({@code version=2} switches fetches to protocol v2, which has no service header).
     */
    public byte[] advertise(Session session, List<String> protocol) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PacketLineOut out = new PacketLineOut(buf);
        if (session.service() == Service.UPLOAD_PACK) {
            try (UploadPack up = uploadPack(session, protocol)) {
                up.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(out), session.service().wireName());
            }
        } else {
            out.writeString("# service=" + session.service().wireName() + "\n");
            out.end();
            ReceivePack rp = receivePack(session);
            try {
                rp.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(out));
            } finally {
                rp.getRevWalk().close();
            }
        }
        return buf.toByteArray();
    }

    /** Answers one fetch round ({@code POST git-upload-pack}); errors reach the client in the protocol. */
    public void upload(Session session, List<String> protocol, InputStream in, OutputStream out) {
        require(session, Service.UPLOAD_PACK);
        try (UploadPack up = uploadPack(session, protocol)) {
            up.upload(in, out, null);
        } catch (IOException e) {
            // already reported to the client in-band, or the client went away
            LOG.log(Level.FINE, "upload-pack ended early for " + session.info().id(), e);
        }
    }

    /**
     * Receives a push ({@code POST git-receive-pack}). The pack is stored first (a pack cut off
     * midway is deleted by JGit and changes nothing); then {@link PushHook} checks every command and
     * lands all of them or none.
     */
    public void receive(Session session, InputStream in, OutputStream out) {
        require(session, Service.RECEIVE_PACK);
        ReceivePack rp = receivePack(session);
        rp.setPreReceiveHook(pushHooks.create(session.info(), session.caller()));
        try {
            rp.receive(in, out, null);
        } catch (IOException e) {
            LOG.log(Level.FINE, "receive-pack ended early for " + session.info().id(), e);
        }
    }

    private static void require(Session session, Service service) {
        if (session.service() != service) {
            throw new QuiverException(Reason.BAD_REQUEST, "session was opened for " + session.service().wireName());
        }
    }

    private static UploadPack uploadPack(Session session, List<String> protocol) {
        UploadPack up = new UploadPack(session.git());
        up.setBiDirectionalPipe(false);
        if (!protocol.isEmpty()) {
            up.setExtraParameters(protocol);
        }
        return up;
    }

    private static ReceivePack receivePack(Session session) {
        ReceivePack rp = new ReceivePack(session.git());
        rp.setBiDirectionalPipe(false);
        rp.setCheckReceivedObjects(true);
        // JGit's own checks stay on for what they catch well; PushHook owns every policy decision
        rp.setAllowCreates(true);
        rp.setAllowDeletes(true);
        rp.setAllowNonFastForwards(session.info().allowForcePush());
        rp.setRefLogIdent(new PersonIdent(session.caller().name(), session.caller().name() + "@quiver"));
        return rp;
    }
}

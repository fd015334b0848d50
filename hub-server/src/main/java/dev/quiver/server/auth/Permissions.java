package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The one permission check every path uses. A repository belongs to a user or an organization; the
 * caller's role for its owner decides: the owning user and site admins act as {@code admin}, members
 * of an owning organization have their role there, everyone else has none. A private repository
 * needs a role to be read at all; writing needs {@code write}; deleting, moving and changing
 * visibility need {@code admin}. A read-only token never writes; a token limited to named
 * repositories reads public ones but uses no other repository and creates none.
 *
 * <p>A repository the caller may not read answers exactly like a missing one ({@code RepoNotFound}:
 * 401 anonymous, 404 otherwise); a readable one the caller may not change is a 403.
 */
public final class Permissions {
    private final RepoStore repos;

    public Permissions(RepoStore repos) {
        this.repos = repos;
    }

    /** The caller's role for repositories owned by {@code owner}, if it has one. */
    public Optional<OrgRole> roleFor(Caller caller, String owner) {
        if (caller.isAnonymous()) {
            return Optional.empty();
        }
        if (caller.isAdmin() || caller.name().equals(owner)) {
            return Optional.of(OrgRole.ADMIN);
        }
        return Optional.ofNullable(caller.orgs().get(owner));
    }

    public boolean canRead(Caller caller, RepoInfo repo) {
        return !repo.isPrivate() || (caller.covers(repo.id()) && roleFor(caller, repo.id().owner()).isPresent());
    }

    /** Whether the caller's role lets it create or change repositories under {@code owner} (its token aside). */
    public boolean isOwner(Caller caller, String owner) {
        return roleFor(caller, owner).map(r -> r.atLeast(OrgRole.WRITE)).orElse(false);
    }

    /** Owners whose private repositories the caller may read (site admins read every one besides). */
    public Set<String> readableOwners(Caller caller) {
        if (caller.isAnonymous() || caller.isLimited()) {
            return Set.of();
        }
        Set<String> owners = new HashSet<>(caller.orgs().keySet());
        owners.add(caller.name());
        return Set.copyOf(owners);
    }

    /** The repository's metadata if the caller may read it; otherwise {@code RepoNotFound}. */
    public RepoInfo readable(Caller caller, RepoId id) {
        return repos.info(id).filter(r -> canRead(caller, r)).orElseThrow(() -> notFound(id));
    }

    /** The repository's metadata if the caller may write to it; otherwise 401, 403 or {@code RepoNotFound}. */
    public RepoInfo writable(Caller caller, RepoId id) {
        RepoInfo repo = readable(caller, id);
        requireAuthenticated(caller);
        if (!isOwner(caller, id.owner())) {
            throw forbidden("You don't have the rights to write to " + id.id());
        }
        requireWriteToken(caller);
        if (!caller.covers(id)) {
            throw forbidden("Your token is limited to other repositories than " + id.id());
        }
        return repo;
    }

    /**
     * The repository's metadata if the caller may delete or move it or change its visibility: the
     * owning user, an admin of the owning organization, or a site admin.
     */
    public RepoInfo manageable(Caller caller, RepoId id) {
        RepoInfo repo = readable(caller, id);
        requireAuthenticated(caller);
        if (!roleFor(caller, id.owner()).map(r -> r.atLeast(OrgRole.ADMIN)).orElse(false)) {
            throw forbidden("You need the admin role of " + id.owner() + " to do this to " + id.id());
        }
        requireUnlimitedWriteToken(caller);
        return repo;
    }

    /** Fails unless the caller may create repositories under {@code owner} with the token it used. */
    public void requireOwner(Caller caller, String owner) {
        requireAuthenticated(caller);
        if (!isOwner(caller, owner)) {
            throw forbidden("You don't have the rights to write to " + owner
                    + (caller.canWriteWithToken() ? "" : " (your token is read-only)"));
        }
        requireUnlimitedWriteToken(caller);
    }

    /** Fails unless the caller may manage {@code org}'s members: its admins and site admins. */
    public void requireOrgAdmin(Caller caller, String org) {
        requireAuthenticated(caller);
        if (!roleFor(caller, org).map(r -> r.atLeast(OrgRole.ADMIN)).orElse(false)) {
            throw forbidden("You need the admin role of " + org + " to do this");
        }
        requireUnlimitedWriteToken(caller);
    }

    /** Fails unless the caller is a site admin using a write token. */
    public void requireSiteAdmin(Caller caller) {
        requireAuthenticated(caller);
        if (!caller.isAdmin()) {
            throw forbidden("Only site admins may do this");
        }
        requireUnlimitedWriteToken(caller);
    }

    /** Fails unless someone is signed in (401 otherwise). */
    public void requireAuthenticated(Caller caller) {
        if (caller.isAnonymous()) {
            throw new QuiverException(Reason.UNAUTHORIZED, "You must be authenticated to do this: pass a token");
        }
    }

    private static void requireWriteToken(Caller caller) {
        if (!caller.canWriteWithToken()) {
            throw forbidden("Your token is read-only: this needs a token with the write role");
        }
    }

    private static void requireUnlimitedWriteToken(Caller caller) {
        requireWriteToken(caller);
        if (caller.isLimited()) {
            throw forbidden("Your token is limited to named repositories and cannot do this");
        }
    }

    private static QuiverException forbidden(String message) {
        return new QuiverException(Reason.FORBIDDEN, message);
    }

    public static QuiverException notFound(RepoId id) {
        return new QuiverException(Reason.REPO_NOT_FOUND, "Repository Not Found for url: " + id.webPath()
                + ". Please make sure you specified the correct `repo_id` and `repo_type`. If you are trying to"
                + " access a private or gated repo, make sure you are authenticated.");
    }
}

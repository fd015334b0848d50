package dev.quiver.server.auth;

import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import dev.quiver.server.repo.RepoId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accounts, organizations, memberships and tokens: every change checks the actor's rights through
 * {@link Permissions} and leaves an {@link AuditLog} entry. Free of HTTP; {@code source} is the
 * client address, for the audit log and the failure throttle.
 */
public final class AccountService {
    private final UserStore users;
    private final MembershipStore memberships;
    private final TokenService tokens;
    private final PasswordHasher hasher;
    private final Permissions permissions;
    private final AuditLog audit;
    private final FailureThrottle throttle;

    public AccountService(UserStore users, MembershipStore memberships, TokenService tokens, PasswordHasher hasher,
            Permissions permissions, AuditLog audit, FailureThrottle throttle) {
        this.users = users;
        this.memberships = memberships;
        this.tokens = tokens;
        this.hasher = hasher;
        this.permissions = permissions;
        this.audit = audit;
        this.throttle = throttle;
    }

    /** A new local account, made by a site admin. */
    public record NewUser(String name, String fullname, String email, Optional<String> password, boolean admin) {
    }

    public User createUser(Caller actor, NewUser req, String source) {
        permissions.requireSiteAdmin(actor);
        req.password().flatMap(PasswordHasher::weakness).ifPresent(w -> {
            throw QuiverException.badRequest(w);
        });
        User user = users.create(req.name(), req.fullname(), req.email(), req.admin(), false);
        req.password().ifPresent(p -> users.setPasswordHash(user.id(), hasher.hash(p)));
        audit.record(actor, "user.create", user.name(), req.admin() ? "site admin" : "", source);
        return user;
    }

    public List<User> users(Caller actor) {
        permissions.requireSiteAdmin(actor);
        return users.list(false);
    }

    /** Sets a local account's password: the user itself or a site admin. */
    public void setPassword(Caller actor, String name, String password, String source) {
        permissions.requireAuthenticated(actor);
        User user = person(name);
        boolean allowed = (actor.isAdmin() || actor.name().equals(name)) && actor.canWriteWithToken()
                && !actor.isLimited();
        if (!allowed) {
            throw new QuiverException(Reason.FORBIDDEN, "Only the user or a site admin may set this password");
        }
        PasswordHasher.weakness(password).ifPresent(w -> {
            throw QuiverException.badRequest(w);
        });
        if (!users.isLocal(user.id())) {
            throw QuiverException.badRequest(name + " signs in through the identity provider");
        }
        users.setPasswordHash(user.id(), hasher.hash(password));
        audit.record(actor, "user.password", name, "", source);
    }

    public void setSiteAdmin(Caller actor, String name, boolean admin, String source) {
        permissions.requireSiteAdmin(actor);
        User user = person(name);
        users.setAdmin(user.id(), admin);
        audit.record(actor, "user.admin", name, admin ? "granted" : "revoked", source);
    }

    /**
     * The account for a name and password, or 401 with one message whatever was wrong; a name with no
     * account costs as much time as a wrong password.
     */
    public User passwordSignIn(String name, String password, String source) {
        throttle.awaitTurn(source);
        Optional<User> user = users.byName(name).filter(u -> !u.isOrg());
        Optional<String> hash = user.flatMap(u -> users.passwordHash(u.id()));
        boolean ok = password.length() <= PasswordHasher.MAX_LENGTH && hash.isPresent()
                ? hasher.verify(password, hash.get()) : fail(password);
        if (!ok) {
            throttle.failed(source);
            audit.record(name.length() > 100 ? name.substring(0, 100) : name, "signin.failed", "password", "", source);
            throw new QuiverException(Reason.UNAUTHORIZED, "Invalid username or password");
        }
        audit.record(user.get().name(), "signin", "password", "", source);
        return user.get();
    }

    private boolean fail(String password) {
        hasher.verifyNothing(password.length() > PasswordHasher.MAX_LENGTH ? "" : password);
        return false;
    }

    public User createOrg(Caller actor, String name, String fullname, String source) {
        permissions.requireAuthenticated(actor);
        if (!actor.canWriteWithToken() || actor.isLimited()) {
            throw new QuiverException(Reason.FORBIDDEN, "Creating an organization needs a write token");
        }
        User org = users.create(name, fullname.isBlank() ? name : fullname, "", false, true);
        User creator = actor.user().orElseThrow();
        memberships.setLocal(org.id(), creator.id(), OrgRole.ADMIN);
        audit.record(actor, "org.create", name, "", source);
        return org;
    }

    /** An organization's members: visible to its members and site admins. */
    public List<MembershipStore.Member> members(Caller actor, String orgName) {
        User org = org(actor, orgName);
        return memberships.members(org.id());
    }

    public void setMember(Caller actor, String orgName, String userName, OrgRole role, String source) {
        User org = org(actor, orgName);
        permissions.requireOrgAdmin(actor, orgName);
        User user = person(userName);
        if (role != OrgRole.ADMIN) {
            keepOneAdmin(org, user);
        }
        memberships.setLocal(org.id(), user.id(), role);
        audit.record(actor, "member.set", orgName, userName + " " + role.wire(), source);
    }

    public void removeMember(Caller actor, String orgName, String userName, String source) {
        User org = org(actor, orgName);
        permissions.requireOrgAdmin(actor, orgName);
        User user = person(userName);
        keepOneAdmin(org, user);
        if (!memberships.removeLocal(org.id(), user.id())) {
            throw new QuiverException(Reason.NOT_FOUND, userName + " is not a member of " + orgName
                    + " through the hub (memberships from identity provider groups change there)");
        }
        audit.record(actor, "member.remove", orgName, userName, source);
    }

    private void keepOneAdmin(User org, User user) {
        boolean isOnlyAdmin = memberships.adminCount(org.id()) == 1 && memberships.members(org.id()).stream()
                .anyMatch(m -> m.name().equals(user.name()) && m.role() == OrgRole.ADMIN);
        if (isOnlyAdmin) {
            throw new QuiverException(Reason.CONFLICT, user.name() + " is the last admin of " + org.name());
        }
    }

    /** A new token of the actor's own; a read-only or limited token cannot make tokens. */
    public TokenService.NewToken createToken(Caller actor, String name, AccessToken.Role role, List<RepoId> repos,
            String source) {
        permissions.requireAuthenticated(actor);
        if (!actor.canWriteWithToken() || actor.isLimited()) {
            throw new QuiverException(Reason.FORBIDDEN, "Making tokens needs a write token or a signed-in session");
        }
        User user = actor.user().orElseThrow();
        return made(actor, user, name, role, repos, source);
    }

    /** A new token for another user, made by a site admin (for runners and CI accounts). */
    public TokenService.NewToken createTokenFor(Caller actor, String userName, String name, AccessToken.Role role,
            List<RepoId> repos, String source) {
        permissions.requireSiteAdmin(actor);
        return made(actor, person(userName), name, role, repos, source);
    }

    /** A new token for a user who just proved who they are with their password (the CLI's sign-in). */
    public TokenService.NewToken createTokenAfterSignIn(User user, String name, AccessToken.Role role,
            List<RepoId> repos, String source) {
        return made(Caller.signedIn(user, Map.of(), Caller.Via.SESSION), user, name, role, repos, source);
    }

    public void signedOut(Caller actor, String source) {
        audit.record(actor, "signout", actor.name(), "", source);
    }

    private TokenService.NewToken made(Caller actor, User user, String name, AccessToken.Role role, List<RepoId> repos,
            String source) {
        TokenService.NewToken made = tokens.create(user, name, role, repos);
        audit.record(actor, "token.create", user.name(), "#" + made.token().id() + " '" + name + "' " + role.wire()
                + (repos.isEmpty() ? "" : " limited to " + repos), source);
        return made;
    }

    public List<AccessToken> tokens(Caller actor) {
        permissions.requireAuthenticated(actor);
        return tokens.list(actor.user().orElseThrow().id());
    }

    public void revokeToken(Caller actor, long id, String source) {
        permissions.requireAuthenticated(actor);
        if (actor.isLimited()) {
            throw new QuiverException(Reason.FORBIDDEN, "A limited token cannot revoke tokens");
        }
        User user = actor.user().orElseThrow();
        if (!tokens.revoke(user.id(), id)) {
            throw new QuiverException(Reason.NOT_FOUND, "You have no token #" + id);
        }
        audit.record(actor, "token.revoke", user.name(), "#" + id, source);
    }

    private User person(String name) {
        return users.byName(name).filter(u -> !u.isOrg())
                .orElseThrow(() -> new QuiverException(Reason.NOT_FOUND, "No user named " + name));
    }

    /** The organization if the actor may see its members; a non-member is told it does not exist. */
    private User org(Caller actor, String name) {
        Optional<User> org = users.byName(name).filter(User::isOrg);
        if (org.isEmpty() || permissions.roleFor(actor, name).isEmpty()) {
            throw new QuiverException(Reason.NOT_FOUND, "No organization named " + name);
        }
        return org.get();
    }
}

package dev.quiver.server.auth;

import dev.quiver.server.repo.RepoId;
import java.util.Map;
import java.util.Optional;

/**
 * Who made a request and through what: anonymous, a user through one of their access tokens, a user
 * through an identity provider's bearer token, or a user through a browser session. {@code orgs} holds
 * the caller's organizations and roles, read once when the request was authenticated.
 */
public record Caller(Optional<User> user, Optional<AccessToken> token, Map<String, OrgRole> orgs, Via via) {
    private static final Caller ANONYMOUS = new Caller(Optional.empty(), Optional.empty(), Map.of(), Via.NONE);

    /** How the caller proved who it is. */
    public enum Via {
        NONE, ACCESS_TOKEN, OIDC, SESSION
    }

    public Caller {
        orgs = Map.copyOf(orgs);
    }

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    public static Caller of(User user, AccessToken token) {
        return of(user, token, Map.of());
    }

    public static Caller of(User user, AccessToken token, Map<String, OrgRole> orgs) {
        return new Caller(Optional.of(user), Optional.of(token), orgs, Via.ACCESS_TOKEN);
    }

    /** A user signed in with the identity provider or a browser session: the user's full rights. */
    public static Caller signedIn(User user, Map<String, OrgRole> orgs, Via via) {
        return new Caller(Optional.of(user), Optional.empty(), orgs, via);
    }

    public boolean isAnonymous() {
        return user.isEmpty();
    }

    public boolean isAdmin() {
        return user.map(User::isAdmin).orElse(false);
    }

    public String name() {
        return user.map(User::name).orElse("anonymous");
    }

    /** True unless the caller's access token is read-only; signed-in users write with their own rights. */
    public boolean canWriteWithToken() {
        if (token.isPresent()) {
            return token.get().role() == AccessToken.Role.WRITE;
        }
        return via == Via.OIDC || via == Via.SESSION;
    }

    /** Whether the caller's credential is limited to named repositories. */
    public boolean isLimited() {
        return token.map(AccessToken::isLimited).orElse(false);
    }

    /** Whether the caller's credential may be used on {@code repo} (limited tokens name theirs). */
    public boolean covers(RepoId repo) {
        return token.map(t -> t.covers(repo)).orElse(true);
    }
}

package dev.quiver.server.auth;

import java.util.Optional;

/** Who made a request: anonymous, or a user through one of their tokens. */
public record Caller(Optional<User> user, Optional<AccessToken> token) {
    private static final Caller ANONYMOUS = new Caller(Optional.empty(), Optional.empty());

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    public static Caller of(User user, AccessToken token) {
        return new Caller(Optional.of(user), Optional.of(token));
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

    /** True unless the caller's token is read-only. */
    public boolean canWriteWithToken() {
        return token.map(t -> t.role() == AccessToken.Role.WRITE).orElse(false);
    }
}

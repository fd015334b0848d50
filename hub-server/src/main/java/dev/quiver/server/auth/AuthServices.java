package dev.quiver.server.auth;

import dev.quiver.server.db.Database;
import java.time.Clock;
import java.util.Optional;

/**
 * The auth objects a hub needs, made together because they share stores: memberships, sessions, the
 * audit log, the failure throttle, the account service, the authenticator, and — when an identity
 * provider is configured — browser sign-in through it.
 */
public record AuthServices(MembershipStore memberships, SessionStore sessions, AuditLog audit,
        FailureThrottle throttle, AccountService accounts, Authenticator authenticator, Optional<WebSignIn> webSignIn) {

    public static AuthServices create(Database db, UserStore users, TokenService tokens, Permissions permissions,
            Optional<OidcConfig> oidc, FailureThrottle.Settings throttling) {
        Clock clock = Clock.systemUTC();
        MembershipStore memberships = new MembershipStore(db);
        SessionStore sessions = new SessionStore(db);
        AuditLog audit = new AuditLog(db);
        FailureThrottle throttle = new FailureThrottle(throttling, clock);
        AccountService accounts = new AccountService(users, memberships, tokens, new PasswordHasher(), permissions,
                audit, throttle);
        Optional<Authenticator.OidcBearer> bearer = oidc.map(c -> {
            OidcProvider provider = new OidcProvider(c, clock);
            return new Authenticator.OidcBearer(provider, new JwtVerifier(provider, clock),
                    new OidcAccounts(c, users, memberships, audit));
        });
        Optional<WebSignIn> web = bearer.map(b -> new WebSignIn(b, sessions, audit, clock));
        Authenticator authenticator = new Authenticator(tokens, users, memberships, sessions, throttle, bearer);
        return new AuthServices(memberships, sessions, audit, throttle, accounts, authenticator, web);
    }
}

package dev.quiver.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.server.QuiverException;
import dev.quiver.server.Reason;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Turns a verified identity-provider token into a hub user: {@code preferred_username} names the
 * user, made on first sight and tied to the token's {@code sub}; the groups claim becomes
 * organization memberships, replaced on every token. A group {@code /acme} makes its members readers
 * of organization {@code acme}; {@code /acme/readers}, {@code /acme/writers} and {@code /acme/admins}
 * (or {@code read}, {@code write}, {@code admin}) give that role. Other groups are ignored. A name
 * already used by a local account or a user is never taken over.
 */
public final class OidcAccounts {
    private static final Logger LOG = Logger.getLogger(OidcAccounts.class.getName());
    private static final Map<String, OrgRole> ROLE_GROUPS = Map.of("readers", OrgRole.READ, "read", OrgRole.READ,
            "writers", OrgRole.WRITE, "write", OrgRole.WRITE, "admins", OrgRole.ADMIN, "admin", OrgRole.ADMIN);

    private final OidcConfig config;
    private final UserStore users;
    private final MembershipStore memberships;
    private final AuditLog audit;

    public OidcAccounts(OidcConfig config, UserStore users, MembershipStore memberships, AuditLog audit) {
        this.config = config;
        this.users = users;
        this.memberships = memberships;
        this.audit = audit;
    }

    /** The caller a verified token stands for. */
    public Caller caller(JsonNode claims, Caller.Via via, String source) {
        User user = user(claims, source);
        List<String> groups = groups(claims);
        boolean admin = config.adminGroup().map(g -> groups.contains(strip(g))).orElse(user.isAdmin());
        users.updateFromOidc(user.id(), claims.path("name").asText(user.fullname()),
                claims.path("email").asText(user.email()), admin);
        Map<Long, OrgRole> wanted = new HashMap<>();
        orgRoles(groups.stream().filter(g -> config.adminGroup().map(a -> !strip(a).equals(g)).orElse(true)).toList()).forEach((org, role) -> orgId(org).ifPresent(id -> wanted.merge(id, role, OrgRole::max)));
        if (memberships.syncOidc(user.id(), wanted)) {
            audit.record(user.name(), "membership.sync", user.name(), "from identity provider groups " + groups, source);
        }
        User fresh = users.byId(user.id()).orElseThrow();
        return Caller.signedIn(fresh, memberships.rolesOf(fresh.id()), via);
    }

    /** Organization -> role, as the groups name them. */
    static Map<String, OrgRole> orgRoles(List<String> groups) {
        Map<String, OrgRole> out = new LinkedHashMap<>();
        for (String g : groups) {
            String[] parts = strip(g).split("/");
            if (parts.length == 0 || parts.length > 2 || !UserStore.validName(parts[0])) {
                continue;
            }
            Optional<OrgRole> role = parts.length == 1 ? Optional.of(OrgRole.READ)
                    : Optional.ofNullable(ROLE_GROUPS.get(parts[1]));
            role.ifPresent(r -> out.merge(parts[0], r, OrgRole::max));
        }
        return out;
    }

    private User user(JsonNode claims, String source) {
        String subject = claims.path("sub").asText("");
        String name = claims.path("preferred_username").asText("");
        if (subject.isEmpty() || !UserStore.validName(name)) {
            throw new QuiverException(Reason.UNAUTHORIZED, "Invalid credentials in Authorization header");
        }
        Optional<User> known = users.byOidcSubject(subject);
        if (known.isPresent()) {
            return known.get();
        }
        if (users.byName(name).isPresent()) {
            LOG.warning("identity provider user " + name + " matches an existing account not tied to it; refused");
            throw new QuiverException(Reason.UNAUTHORIZED, "Invalid credentials in Authorization header");
        }
        try {
            User created = users.createFromOidc(name, claims.path("name").asText(name), claims.path("email").asText(""),
                    subject);
            audit.record(name, "user.create", name, "first sign-in through the identity provider", source);
            return created;
        } catch (QuiverException e) {
            // a concurrent first request made it
            return users.byOidcSubject(subject).orElseThrow(() -> e);
        }
    }

    private Optional<Long> orgId(String org) {
        Optional<User> existing = users.byName(org);
        if (existing.isPresent()) {
            return existing.filter(User::isOrg).map(User::id);
        }
        try {
            return Optional.of(users.createOidcOrg(org).id());
        } catch (QuiverException e) {
            return users.byName(org).filter(User::isOrg).map(User::id);
        }
    }

    private List<String> groups(JsonNode claims) {
        JsonNode node = claims.path(config.groupsClaim());
        if (node.isTextual()) {
            return List.of(strip(node.asText()));
        }
        return node.isArray() ? java.util.stream.StreamSupport.stream(node.spliterator(), false)
                .filter(JsonNode::isTextual).map(n -> strip(n.asText())).limit(1000).toList() : List.of();
    }

    private static String strip(String group) {
        return group.startsWith("/") ? group.substring(1) : group;
    }
}

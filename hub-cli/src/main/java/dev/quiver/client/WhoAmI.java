package dev.quiver.client;

import java.util.List;

/** Who a token belongs to, from {@code /api/whoami-v2}. */
public record WhoAmI(String name, String fullname, String email, List<String> orgs, String tokenName, String tokenRole) {
    public WhoAmI {
        orgs = List.copyOf(orgs);
    }
}

package dev.quiver.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The groups-claim convention, with the odd and hostile group names a realm can hold. */
class OidcGroupsTest {
    @Test
    void groupPathsBecomeOrganizationRoles() {
        assertThat(OidcAccounts.orgRoles(List.of("acme", "/beta/readers", "/gamma/writers", "delta/admins",
                "/eps/write", "/zeta/admin", "/eta/read"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "acme", OrgRole.READ, "beta", OrgRole.READ, "gamma", OrgRole.WRITE, "delta", OrgRole.ADMIN,
                        "eps", OrgRole.WRITE, "zeta", OrgRole.ADMIN, "eta", OrgRole.READ));
    }

    @Test
    void theHighestRoleOfSeveralGroupsWins() {
        assertThat(OidcAccounts.orgRoles(List.of("/acme/readers", "/acme/admins", "/acme/writers", "/acme")))
                .containsExactlyEntriesOf(Map.of("acme", OrgRole.ADMIN));
    }

    @Test
    void unknownSubGroupsDeepPathsAndInvalidNamesAreIgnored() {
        assertThat(OidcAccounts.orgRoles(List.of("/acme/owners", "/acme/writers/extra", "", "/", "//", "/../admins",
                "/a--b/writers", "/-x/admins", "/ok./writers", "/x".repeat(50), "/" + "n".repeat(97) + "/admins",
                "/ac me/writers", "/acme\n/admins", "/élan/writers", "/acme/Writers"))).isEmpty();
    }
}

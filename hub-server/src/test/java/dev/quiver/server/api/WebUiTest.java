package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which requests get the UI's page, and which content codings it may send. */
class WebUiTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "text/html",
        "application/xhtml+xml",
        "TEXT/HTML; charset=utf-8",
        "application/json;q=0.5, text/html",
    })
    void browsersNavigatingGetThePage(String accept) {
        assertThat(WebUi.prefersHtml(accept)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "*/*", "application/json", "application/json, text/html;q=0.5", "text/html;q=0",
        "text/html;q=abc", "text/html;q=NaN, application/json", "image/webp,*/*", ";;;,,,", "text/htm",
    })
    void clientsAndApiCallersDoNot(String accept) {
        assertThat(WebUi.prefersHtml(accept)).isFalse();
    }

    @Test
    void contentCodingsNeedANonZeroQuality() {
        assertThat(WebUi.acceptsEncoding("gzip, deflate, br, zstd", "br")).isTrue();
        assertThat(WebUi.acceptsEncoding("gzip;q=0.5", "gzip")).isTrue();
        assertThat(WebUi.acceptsEncoding("br;q=0, gzip", "br")).isFalse();
        assertThat(WebUi.acceptsEncoding("identity", "gzip")).isFalse();
        assertThat(WebUi.acceptsEncoding("", "gzip")).isFalse();
        assertThat(WebUi.acceptsEncoding("BR", "br")).isTrue();
    }

    @Test
    void formsMayLeadOnlyToTheHubOrItsIdentityProvider() {
        assertThat(WebUi.contentSecurityPolicy(Optional.empty())).contains("form-action 'self';")
                .contains("script-src 'self';");
        assertThat(WebUi.contentSecurityPolicy(Optional.of("https://sso.example.com")))
                .contains("form-action 'self' https://sso.example.com;");
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
    @TempDir
    Path home;

    @Test
    void quiverVariablesWinOverHfOnesWhichWinOverTheSavedLogin() {
        new SavedLogin(URI.create("http://saved:8080"), "hf_saved", "me").write(home.resolve(".config/quiver/config.json"));
        ClientSettings saved = ClientSettings.fromEnvironment(Map.of(), home);
        assertThat(saved.endpoint()).contains(URI.create("http://saved:8080"));
        assertThat(saved.token()).contains("hf_saved");

        ClientSettings hf = ClientSettings.fromEnvironment(Map.of("HF_ENDPOINT", "http://hf:1/", "HF_TOKEN", "hf_hf"), home);
        assertThat(hf.endpoint()).contains(URI.create("http://hf:1"));
        assertThat(hf.token()).contains("hf_hf");

        ClientSettings quiver = ClientSettings.fromEnvironment(Map.of("HF_ENDPOINT", "http://hf:1", "HF_TOKEN", "hf_hf",
                "QUIVER_ENDPOINT", "https://q.example", "QUIVER_TOKEN", "hf_q"), home);
        assertThat(quiver.endpoint()).contains(URI.create("https://q.example"));
        assertThat(quiver.token()).contains("hf_q");
    }

    @Test
    void theSavedTokenIsOnlyUsedForTheHubItWasSavedFor() {
        new SavedLogin(URI.create("http://saved:8080"), "hf_saved", "me").write(home.resolve(".config/quiver/config.json"));
        ClientSettings other = ClientSettings.fromEnvironment(Map.of("QUIVER_ENDPOINT", "http://elsewhere"), home);
        assertThat(other.token()).isEmpty();
        ClientSettings same = ClientSettings.fromEnvironment(Map.of("QUIVER_ENDPOINT", "http://saved:8080/"), home);
        assertThat(same.token()).contains("hf_saved");
    }

    @Test
    void theLoginFileLivesUnderQuiverHomeOrXdgConfig() {
        assertThat(ClientSettings.loginFile(Map.of("QUIVER_HOME", "/q"), home)).isEqualTo(Path.of("/q/config.json"));
        assertThat(ClientSettings.loginFile(Map.of("XDG_CONFIG_HOME", "/x"), home)).isEqualTo(Path.of("/x/quiver/config.json"));
        assertThat(ClientSettings.loginFile(Map.of(), home)).isEqualTo(home.resolve(".config/quiver/config.json"));
        assertThat(ClientSettings.loginFile(Map.of("QUIVER_HOME", "~/qh"), home)).isEqualTo(home.resolve("qh/config.json"));
    }

    @Test
    void theCacheIsWhereHuggingfaceHubLooks() {
        assertThat(ClientSettings.hubCache(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), home)).isEqualTo(Path.of("/c"));
        assertThat(ClientSettings.hubCache(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x"), home)).isEqualTo(Path.of("/h/hub"));
        assertThat(ClientSettings.hubCache(Map.of("XDG_CACHE_HOME", "/x"), home)).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(ClientSettings.hubCache(Map.of(), home)).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(ClientSettings.hubCache(Map.of("HUGGINGFACE_HUB_CACHE", "/legacy"), home)).isEqualTo(Path.of("/legacy"));
    }

    @Test
    void endpointsMustBeHttpUrls() {
        assertThat(ClientSettings.parseEndpoint(" http://localhost:8080// ")).isEqualTo(URI.create("http://localhost:8080"));
        for (String bad : new String[] {"localhost:8080", "ftp://x", "http://", "http://x?y=1", "not a url", ""}) {
            assertThatThrownBy(() -> ClientSettings.parseEndpoint(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        ClientSettings none = ClientSettings.fromEnvironment(Map.of(), home);
        assertThatThrownBy(none::requireEndpoint).hasMessageContaining("quiver login --endpoint URL");
    }

    @Test
    void theSavedLoginIsReadableByItsOwnerOnlyAndRoundTrips() throws Exception {
        Path file = home.resolve("q/config.json");
        new SavedLogin(URI.create("http://h:1"), "hf_x", "me").write(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        assertThat(SavedLogin.read(file)).contains(new SavedLogin(URI.create("http://h:1"), "hf_x", "me"));
        assertThat(SavedLogin.delete(file)).isTrue();
        assertThat(SavedLogin.read(file)).isEmpty();
        assertThat(SavedLogin.delete(file)).isFalse();
    }

    @Test
    void aCorruptSavedLoginSaysHowToRecover() throws Exception {
        Path file = home.resolve(".config/quiver/config.json");
        Files.createDirectories(file.getParent());
        for (String junk : new String[] {"{", "[]x", "{\"endpoint\":\"ftp://x\",\"token\":\"t\"}", "{\"a\":1,\"a\":2}"}) {
            Files.writeString(file, junk);
            assertThatThrownBy(() -> ClientSettings.fromEnvironment(Map.of(), home)).as(junk)
                    .hasMessageContaining("quiver logout");
        }
        Files.writeString(file, "{\"endpoint\":\"http://x\"}");
        assertThat(ClientSettings.fromEnvironment(Map.of(), home).token()).isEqualTo(Optional.empty());
    }
}

package dev.quiver.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's command line: options applied, and each mistake named with what to do instead. */
class MainTest {
    private static final HubConfig DEFAULTS = HubConfig.defaults(Path.of("quiver-data")).withPort(8080);

    @Test
    void optionsAreApplied() {
        HubConfig c = Main.parse(new String[] {"serve", "--data", "/srv/q", "--port", "0", "--host", "0.0.0.0"},
                DEFAULTS);
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/q"));
        assertThat(c.port()).isZero();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(Main.parse(new String[] {"serve"}, DEFAULTS).port()).isEqualTo(8080);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> Main.parse(new String[] {"serve", "--port", "abc"}, DEFAULTS))
                .hasMessageContaining("--port must be a number from 0 to 65535").hasMessageContaining("'abc'");
        assertThatThrownBy(() -> Main.parse(new String[] {"serve", "--port", "70000"}, DEFAULTS))
                .hasMessageContaining("--port must be a number");
        assertThatThrownBy(() -> Main.parse(new String[] {"serve", "--data"}, DEFAULTS))
                .hasMessage("--data needs a value");
        assertThatThrownBy(() -> Main.parse(new String[] {"serve", "--verbose", "1"}, DEFAULTS))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> Main.parse(new String[] {"start"}, DEFAULTS))
                .hasMessageContaining("unknown command start");
    }

    @Test
    void aPortInUseIsAnErrorThatSaysSo(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HubConfig config = HubConfig.defaults(data).withPort(taken.getLocalPort());
            assertThatThrownBy(() -> Hub.start(config)).hasRootCauseInstanceOf(BindException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}

package dev.quiver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub behind TLS with a certificate the JDK does not know (a company CA's, here a self-signed one
 * made with keytool): refused with a message that names the fix, and trusted through a PEM bundle.
 */
class TlsTrustTest {
    private static final String WHOAMI = "{\"name\":\"tls-user\",\"fullname\":\"\",\"orgs\":[],"
            + "\"auth\":{\"accessToken\":{\"displayName\":\"t\",\"role\":\"read\"}}}";
    @TempDir
    static Path dir;
    static Path pem;
    static SSLServerSocket server;
    static final AtomicInteger handshakes = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("hub.p12");
        pem = dir.resolve("company-ca.pem");
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(TlsTrustTest::serve);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    /** Answers every request on every connection with the whoami reply. */
    private static void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                handshakes.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    byte[] body = WHOAMI.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // a client that refused our certificate hangs up during the handshake
        }
    }

    private static HubClient client(TlsTrust tls) {
        URI endpoint = URI.create("https://127.0.0.1:" + server.getLocalPort());
        return new HubClient(new HubHttp(endpoint, Optional.of("hf_x"), Retry.DEFAULT, tls));
    }

    @Test
    void aCertificateTheJdkDoesNotKnowIsRefusedOnceWithTheWayOut() {
        int before = handshakes.get();
        assertThatThrownBy(() -> client(TlsTrust.JDK).whoami()).isInstanceOf(HubException.class)
                .hasMessageContaining("TLS certificate of 127.0.0.1:" + server.getLocalPort() + " is not trusted")
                .hasMessageContaining("REQUESTS_CA_BUNDLE");
        assertThat(handshakes.get() - before).as("not retried").isEqualTo(1);
    }

    @Test
    void aPemBundleNamedByTheEnvironmentIsTrusted() {
        TlsTrust tls = TlsTrust.fromEnvironment(Map.of("REQUESTS_CA_BUNDLE", pem.toString()));
        assertThat(tls.bundle()).contains(pem);
        assertThat(client(tls).whoami().name()).isEqualTo("tls-user");
        assertThat(TlsTrust.fromEnvironment(Map.of("SSL_CERT_FILE", pem.toString(), "CURL_CA_BUNDLE", "/elsewhere.pem"))
                .bundle()).contains(Path.of("/elsewhere.pem"));
        assertThat(TlsTrust.fromEnvironment(Map.of("REQUESTS_CA_BUNDLE", " "))).isSameAs(TlsTrust.JDK);
    }

    @Test
    void aBundleThatIsMissingOrHoldsNoCertificateSaysSo() throws IOException {
        assertThatThrownBy(() -> client(TlsTrust.of(dir.resolve("nope.pem"))).whoami()).isInstanceOf(HubException.class)
                .hasMessageContaining("nope.pem").hasMessageContaining("is not a file");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        assertThatThrownBy(() -> client(TlsTrust.of(junk)).whoami()).isInstanceOf(HubException.class)
                .hasMessageContaining("junk.pem").hasMessageContaining("PEM");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> client(TlsTrust.of(empty)).whoami()).isInstanceOf(HubException.class)
                .hasMessageContaining("holds no certificate");
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
    }
}

package dev.quiver.client;

import dev.quiver.client.HubException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities an HTTPS connection trusts: the JDK's, or those of a PEM bundle named
 * by {@code REQUESTS_CA_BUNDLE}, {@code CURL_CA_BUNDLE} or {@code SSL_CERT_FILE}, which huggingface_hub
 * (through requests), curl and OpenSSL read too. A hub inside a company usually sits behind a TLS
 * proxy whose certificate a company CA signed; that CA is in such a bundle, not in the JDK. As with
 * requests, a bundle replaces the default set rather than adding to it.
 */
public final class TlsTrust {
    public static final TlsTrust JDK = new TlsTrust(Optional.empty());
    /** The variables that may name a bundle, in requests' order, then OpenSSL's. */
    static final List<String> VARIABLES = List.of("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE");

    private final Optional<Path> bundle;
    private SSLSocketFactory factory;

    private TlsTrust(Optional<Path> bundle) {
        this.bundle = bundle;
    }

    public static TlsTrust of(Path bundle) {
        return new TlsTrust(Optional.of(bundle));
    }

    public static TlsTrust fromEnvironment(Map<String, String> env) {
        return VARIABLES.stream().map(env::get).filter(v -> v != null && !v.isBlank()).findFirst()
                .map(v -> of(Path.of(v.strip()))).orElse(JDK);
    }

    public Optional<Path> bundle() {
        return bundle;
    }

    /** Sockets that trust these authorities; the bundle is read once, when the first HTTPS connection needs it. */
    synchronized SSLSocketFactory socketFactory() {
        if (factory == null) {
            factory = bundle.map(TlsTrust::fromBundle).orElseGet(() -> (SSLSocketFactory) SSLSocketFactory.getDefault());
        }
        return factory;
    }

    private static SSLSocketFactory fromBundle(Path file) {
        if (!Files.isRegularFile(file)) {
            throw unusable(file, "is not a file");
        }
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw unusable(file, "cannot be read as PEM certificates (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw unusable(file, "holds no certificate");
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                anchors.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw unusable(file, "cannot be used (" + e.getMessage() + ")");
        }
    }

    private static HubException unusable(Path file, String why) {
        return new HubException(Problem.BAD_INPUT, "the CA bundle " + file + " (" + String.join(", ", VARIABLES)
                + ") " + why + ": point it at a PEM file of CA certificates");
    }
}

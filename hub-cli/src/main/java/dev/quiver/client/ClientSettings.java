package dev.quiver.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the client talks to, with which token, and where the HF cache is — resolved from the
 * environment the way Quiver documents it and the way the Hugging Face libraries read it:
 *
 * <ul>
 *   <li>endpoint: {@code QUIVER_ENDPOINT}, else {@code HF_ENDPOINT}, else the saved login;</li>
 *   <li>token: {@code QUIVER_TOKEN}, else {@code HF_TOKEN}, else the saved login's token — but only
 *       when the endpoint is the one that login was for, so a token is never sent to another hub;</li>
 *   <li>cache: {@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else {@code XDG_CACHE_HOME/huggingface/hub},
 *       else {@code ~/.cache/huggingface/hub} (huggingface_hub's {@code constants.py});</li>
 *   <li>saved login: {@code QUIVER_HOME/config.json}, else {@code XDG_CONFIG_HOME/quiver/config.json},
 *       else {@code ~/.config/quiver/config.json};</li>
 *   <li>trusted certificate authorities: see {@link TlsTrust}.</li>
 * </ul>
 */
public record ClientSettings(Optional<URI> endpoint, Optional<String> token, Path hubCache, Path loginFile, TlsTrust tls) {

    public static ClientSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static ClientSettings fromEnvironment(Map<String, String> env, Path home) {
        Path loginFile = loginFile(env, home);
        Optional<SavedLogin> saved = SavedLogin.read(loginFile);
        Optional<URI> endpoint = first(env, "QUIVER_ENDPOINT", "HF_ENDPOINT").map(ClientSettings::parseEndpoint)
                .or(() -> saved.map(SavedLogin::endpoint));
        Optional<String> token = first(env, "QUIVER_TOKEN", "HF_TOKEN")
                .or(() -> saved.filter(s -> endpoint.isPresent() && s.endpoint().equals(endpoint.get()))
                        .map(SavedLogin::token));
        return new ClientSettings(endpoint, token, hubCache(env, home), loginFile, TlsTrust.fromEnvironment(env));
    }

    /** The same settings with an endpoint and token given on the command line, where given. */
    public ClientSettings override(Optional<String> endpointOverride, Optional<String> tokenOverride) {
        return new ClientSettings(endpointOverride.map(ClientSettings::parseEndpoint).or(() -> endpoint),
                tokenOverride.or(() -> token), hubCache, loginFile, tls);
    }

    /** The endpoint, or the error that says how to set one. */
    public URI requireEndpoint() {
        return endpoint.orElseThrow(() -> new HubException(HubException.Problem.BAD_INPUT,
                "no hub configured: run `quiver login --endpoint URL`, or set QUIVER_ENDPOINT (or HF_ENDPOINT)"));
    }

    static Path loginFile(Map<String, String> env, Path home) {
        return first(env, "QUIVER_HOME").map(h -> expand(h, home).resolve("config.json"))
                .or(() -> first(env, "XDG_CONFIG_HOME").map(x -> expand(x, home).resolve("quiver/config.json")))
                .orElse(home.resolve(".config/quiver/config.json"));
    }

    static Path hubCache(Map<String, String> env, Path home) {
        return first(env, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE").map(c -> expand(c, home))
                .or(() -> first(env, "HF_HOME").map(h -> expand(h, home).resolve("hub")))
                .or(() -> first(env, "XDG_CACHE_HOME").map(x -> expand(x, home).resolve("huggingface/hub")))
                .orElse(home.resolve(".cache/huggingface/hub"));
    }

    /** An http(s) URL without a trailing slash; anything else is refused with an example. */
    public static URI parseEndpoint(String text) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(text, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid hub endpoint '" + text + "': use a URL like http://localhost:8080");
        }
    }

    private static Optional<String> first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.trim());
            }
        }
        return Optional.empty();
    }

    private static Path expand(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }
}

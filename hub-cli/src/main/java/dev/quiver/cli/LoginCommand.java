package dev.quiver.cli;

import dev.quiver.client.ClientSettings;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.HubHttp;
import dev.quiver.client.Retry;
import dev.quiver.client.SavedLogin;
import dev.quiver.client.WhoAmI;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code quiver login}: checks a token against the hub and saves both (mode 600). */
@Command(name = "login", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Log in to a hub: checks the token and saves endpoint and token for later commands.",
        footerHeading = "%nExamples:%n", footer = {
            "  quiver login --endpoint http://localhost:8080            (asks for the token)",
            "  echo \"$TOKEN\" | quiver login --endpoint https://hub.example.com",
            "  quiver login --endpoint http://localhost:8080 --token hf_...",
            "",
            "The login is saved in QUIVER_HOME/config.json (default ~/.config/quiver/config.json), readable",
            "by you only. QUIVER_TOKEN / HF_TOKEN, when set, still take precedence.",
            ExitCodes.HELP})
final class LoginCommand extends QuiverCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Main main = main();
        ClientSettings settings = main.settings();
        URI endpoint = settings.endpoint().orElseThrow(() -> new HubException(HubException.Problem.BAD_INPUT,
                "which hub? run `quiver login --endpoint URL` (for example http://localhost:8080)"));
        String token = main.token.or(() -> readToken(main.environment()))
                .orElseThrow(() -> new HubException(HubException.Problem.BAD_INPUT,
                        "no token given: pass --token, or pipe it in: echo \"$TOKEN\" | quiver login"));
        WhoAmI me = new HubClient(new HubHttp(endpoint, Optional.of(token), Retry.DEFAULT, settings.tls())).whoami();
        new SavedLogin(endpoint, token, me.name()).write(settings.loginFile());
        PrintWriter out = out();
        out.println("Logged in to " + endpoint + " as " + me.name() + "; token saved in " + settings.loginFile());
        if (main.environment().variables().containsKey("QUIVER_TOKEN") || main.environment().variables().containsKey("HF_TOKEN")) {
            err().println("note: QUIVER_TOKEN or HF_TOKEN is set and is used instead of the saved token");
        }
        return ExitCodes.OK;
    }

    private Optional<String> readToken(CliEnvironment env) {
        Console console = System.console();
        if (env.interactive() && console != null) {
            char[] typed = console.readPassword("Token for the hub (input hidden): ");
            return typed == null ? Optional.empty() : Optional.of(new String(typed).strip()).filter(s -> !s.isEmpty());
        }
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? Optional.empty() : Optional.of(line.strip()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package dev.quiver.cli;

import dev.quiver.client.WhoAmI;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code quiver whoami}: who the token belongs to, on which hub. */
@Command(name = "whoami", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = "Show the user the token belongs to, and the hub.",
        footerHeading = "%nExamples:%n", footer = {"  quiver whoami", "  quiver whoami --json", "", ExitCodes.HELP})
final class WhoamiCommand extends QuiverCommand implements Callable<Integer> {
    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = main();
        var client = main.client();
        WhoAmI me = client.whoami();
        PrintWriter out = out();
        if (output.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("endpoint", client.http().endpoint().toString());
            json.put("user", me);
            Output.json(out, json);
        } else {
            out.println(me.name() + (me.fullname().isEmpty() || me.fullname().equals(me.name()) ? "" : " (" + me.fullname() + ")"));
            out.println("  hub:   " + client.http().endpoint());
            if (!me.orgs().isEmpty()) {
                out.println("  orgs:  " + String.join(", ", me.orgs()));
            }
            if (!me.tokenName().isEmpty()) {
                out.println("  token: " + me.tokenName() + (me.tokenRole().isEmpty() ? "" : " (" + me.tokenRole() + ")"));
            }
        }
        return ExitCodes.OK;
    }
}

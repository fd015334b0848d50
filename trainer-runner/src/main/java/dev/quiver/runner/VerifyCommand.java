package dev.quiver.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.verify.Verifier;
import dev.quiver.runner.verify.VerificationReport;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verify}: checks an adapter against its base model and prints the report as JSON (exit 1 when a check fails). */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Verify a LoRA adapter against its base model.")
public final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--base", required = true) Path base;
    @Option(names = "--adapter", required = true) Path adapter;
    @Option(names = "--data", description = "Eval data for the loss with and without the adapter.") Path data;
    @Option(names = "--format", defaultValue = "qa") String format;
    @Option(names = "--template") String template;
    @Option(names = "--max-length", defaultValue = "256") int maxLength;

    @Override
    public Integer call() throws Exception {
        VerificationReport report = Verifier.verify(base, adapter, Optional.ofNullable(data),
                RowFormat.parse(format), Optional.ofNullable(template), maxLength);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        return report.passed() ? 0 : 1;
    }
}

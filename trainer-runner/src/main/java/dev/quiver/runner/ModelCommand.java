package dev.quiver.runner;

import dev.quiver.runner.model.Architecture;
import dev.quiver.runner.model.TinyModelWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code model init-tiny OUT}: writes a small HF-format model for tests, demos and benchmarks. */
@Command(name = "model", description = "Model utilities.", subcommands = ModelCommand.InitTiny.class)
public final class ModelCommand {
    @Command(name = "init-tiny", description = "Write a tiny Hugging Face-format model with deterministic random weights.")
    static final class InitTiny implements Callable<Integer> {
        @Parameters(index = "0", description = "Output folder.") Path out;
        @Option(names = "--arch", defaultValue = "llama", description = "llama or gpt2") String arch;
        @Option(names = "--layers", defaultValue = "2") int layers;
        @Option(names = "--hidden", defaultValue = "64") int hidden;
        @Option(names = "--heads", defaultValue = "4") int heads;
        @Option(names = "--kv-heads", description = "Key/value heads (llama; default: --heads).") Integer kvHeads;
        @Option(names = "--seed", defaultValue = "0") long seed;

        @Override
        public Integer call() throws Exception {
            Architecture a = Architecture.fromModelType(arch)
                    .filter(x -> x == Architecture.LLAMA || x == Architecture.GPT2)
                    .orElseThrow(() -> new TrainerException("--arch must be llama or gpt2"));
            TinyModelWriter.write(out, new TinyModelWriter.Spec(a, layers, hidden, heads, kvHeads == null ? heads : kvHeads, seed));
            System.out.println("wrote " + a.modelType() + " model to " + out);
            return 0;
        }
    }
}

package dev.quiver.runner.data;

import dev.quiver.runner.TrainerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A dataset ready for training: rows read, formatted, cleaned, tokenized and split into train and
 * eval parts, either by a seeded random fraction or by naming separate eval files.
 */
public record TrainingData(List<TokenizedExample> train, List<TokenizedExample> eval, CleaningReport cleaning, int truncatedAway) {

    public record Source(List<Path> trainFiles, List<Path> evalFiles, RowFormat format, Optional<String> template,
            double evalFraction, long seed) {}

    public static TrainingData load(Source source, ExampleEncoder encoder) {
        PromptFormatter formatter = new PromptFormatter(source.format(), source.template());
        List<Example> trainText = examples(source.trainFiles(), formatter);
        DatasetCleaner.Result cleaned = DatasetCleaner.clean(trainText);
        List<Example> train = new ArrayList<>(cleaned.examples());
        List<Example> eval;
        if (!source.evalFiles().isEmpty()) {
            eval = DatasetCleaner.clean(examples(source.evalFiles(), formatter)).examples();
        } else {
            Collections.shuffle(train, new Random(source.seed()));
            int n = (int) Math.round(train.size() * source.evalFraction());
            if (source.evalFraction() > 0 && n == 0 && train.size() > 1) {
                n = 1;
            }
            eval = new ArrayList<>(train.subList(0, n));
            train = new ArrayList<>(train.subList(n, train.size()));
        }
        int[] dropped = {0};
        List<TokenizedExample> trainTokens = encode(train, encoder, dropped);
        List<TokenizedExample> evalTokens = encode(eval, encoder, dropped);
        if (trainTokens.isEmpty()) {
            throw new TrainerException("the dataset has no usable training rows after cleaning (" + cleaned.report() + ")");
        }
        return new TrainingData(trainTokens, evalTokens, cleaned.report(), dropped[0]);
    }

    private static List<Example> examples(List<Path> files, PromptFormatter formatter) {
        List<Example> out = new ArrayList<>();
        for (Path f : files) {
            for (Row r : DatasetReader.read(f)) {
                out.add(formatter.format(r));
            }
        }
        return out;
    }

    private static List<TokenizedExample> encode(List<Example> examples, ExampleEncoder encoder, int[] dropped) {
        List<TokenizedExample> out = new ArrayList<>();
        for (Example e : examples) {
            encoder.encode(e).ifPresentOrElse(out::add, () -> dropped[0]++);
        }
        return out;
    }
}

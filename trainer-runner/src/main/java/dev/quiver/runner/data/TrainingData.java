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

    /** Where the rows come from and how they are split; the eval fraction applies only without eval files. */
    public record Source(List<Path> trainFiles, List<Path> evalFiles, RowFormat format, Optional<String> template,
            double evalFraction, long seed) {
        public Source {
            trainFiles = List.copyOf(trainFiles);
            evalFiles = List.copyOf(evalFiles);
            if (trainFiles.isEmpty()) {
                throw new TrainerException("no training data files given");
            }
            if (!(evalFraction >= 0 && evalFraction < 1)) {
                throw new TrainerException("the eval fraction must be at least 0 and below 1, got " + evalFraction);
            }
        }
    }

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
            // Eval rows are worth nothing without a row to train on.
            n = Math.min(n, Math.max(0, train.size() - 1));
            eval = new ArrayList<>(train.subList(0, n));
            train = new ArrayList<>(train.subList(n, train.size()));
        }
        int[] dropped = {0};
        List<TokenizedExample> trainTokens = encode(train, encoder, dropped);
        if (trainTokens.isEmpty()) {
            throw new TrainerException(noTrainingRows(source, cleaned.report(), dropped[0], encoder.maxLength()));
        }
        List<TokenizedExample> evalTokens = encode(eval, encoder, dropped);
        return new TrainingData(trainTokens, evalTokens, cleaned.report(), dropped[0]);
    }

    private static String noTrainingRows(Source source, CleaningReport report, int tooLong, int maxLength) {
        List<String> names = source.trainFiles().stream().map(p -> p.getFileName().toString()).toList();
        if (report.rowsRead() == 0) {
            return "the dataset " + names + " has no rows; add rows (one JSON object per line in a .jsonl file)";
        }
        return "the dataset " + names + " has no usable training rows: of " + report.rowsRead() + " rows, "
                + report.emptyDropped() + " have an empty completion, " + report.duplicatesDropped()
                + " repeat an earlier row and " + tooLong + " have a prompt that fills all " + maxLength
                + " tokens of max_length; add rows with a completion to learn, or raise max_length";
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

package dev.quiver.runner;

import dev.quiver.schema.recipe.DatasetRef;
import dev.quiver.schema.recipe.EvalSplit;
import dev.quiver.schema.recipe.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code quiver train} reads data: a dataset folder in which the recipe's globs are matched,
 * and, when {@code --data} or {@code --eval-data} name files, globs that pick exactly those files,
 * which replace the recipe's. Files named on the command line must lie inside the folder.
 */
record DataFiles(Path root, Optional<List<String>> trainGlobs, Optional<List<String>> evalGlobs) {

    static DataFiles locate(Optional<Path> dataset, List<Path> data, List<Path> evalData, boolean fromRecipe) {
        if (data.isEmpty() && dataset.isEmpty()) {
            throw new TrainerException(fromRecipe ? "--recipe needs --dataset DIR (a local copy of the recipe's dataset"
                    + " repository) or --data FILES" : "give --data FILES (or --dataset DIR to train on its *.jsonl files)");
        }
        List<Path> named = new ArrayList<>(data);
        named.addAll(evalData);
        named.replaceAll(p -> p.toAbsolutePath().normalize());
        for (Path p : named) {
            if (!Files.isRegularFile(p)) {
                throw new TrainerException(p + ": no such data file");
            }
        }
        Path root = dataset.map(d -> d.toAbsolutePath().normalize()).orElseGet(() -> commonFolder(named));
        if (!Files.isDirectory(root)) {
            throw new TrainerException("--dataset " + root + " is not a folder");
        }
        return new DataFiles(root, globs(root, data), globs(root, evalData));
    }

    /** The recipe reading the files named on the command line instead of its own globs. */
    Recipe applyTo(Recipe recipe) {
        DatasetRef d = recipe.dataset();
        EvalSplit e = d.eval();
        EvalSplit eval = evalGlobs.map(g -> new EvalSplit(e.fraction(), e.seed(), g)).orElse(e);
        return new Recipe(recipe.baseModel(), new DatasetRef(d.repo(), d.branch(), trainGlobs.orElse(d.files()),
                d.format(), d.template(), eval), recipe.lora(), recipe.training(), recipe.gate(), recipe.output());
    }

    private static Optional<List<String>> globs(Path root, List<Path> files) {
        if (files.isEmpty()) {
            return Optional.empty();
        }
        List<String> globs = new ArrayList<>();
        for (Path f : files) {
            Path p = f.toAbsolutePath().normalize();
            if (!p.startsWith(root)) {
                throw new TrainerException(f + " is not inside the dataset folder " + root);
            }
            globs.add(escape(root.relativize(p).toString()));
        }
        return Optional.of(List.copyOf(globs));
    }

    private static Path commonFolder(List<Path> files) {
        Path common = files.get(0).getParent();
        for (Path f : files) {
            while (!f.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common;
    }

    /** A glob that matches exactly this relative path. */
    private static String escape(String path) {
        StringBuilder out = new StringBuilder();
        for (char c : path.toCharArray()) {
            if ("\\*?[]{},".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}

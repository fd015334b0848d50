package dev.quiver.runner.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.client.CommitEntry;
import dev.quiver.client.CommitOptions;
import dev.quiver.client.Downloader;
import dev.quiver.client.HubClient;
import dev.quiver.client.HubException;
import dev.quiver.client.LocalFile;
import dev.quiver.client.PathFilter;
import dev.quiver.client.RepoRef;
import dev.quiver.client.Uploader;
import dev.quiver.client.TransferListener;
import dev.quiver.runner.data.RowFormat;
import dev.quiver.runner.lora.PeftAdapterFiles;
import dev.quiver.runner.lora.PeftAdapterFiles.BaseModelName;
import dev.quiver.runner.train.Trainer;
import dev.quiver.runner.train.TrainingRun;
import dev.quiver.runner.verify.Check;
import dev.quiver.runner.verify.VerificationReport;
import dev.quiver.runner.verify.Verifier;
import dev.quiver.schema.json.Json;
import dev.quiver.schema.recipe.Recipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one claimed job on this machine. A train job fetches the base model and dataset at their
 * pinned commits into the HF cache, trains the adapter the recipe describes, verifies it, and commits
 * the PEFT files with a provenance card on top of the target branch's head. A verify job checks an
 * adapter commit against its base model. Either way the result is a report for the hub. Every call
 * to the hub waits for it while it is away; the commit does so without ever landing twice.
 */
final class JobExecution {
    private static final int COMMIT_ATTEMPTS = 3;
    /** The trailer the hub reads to tell a job's own commits from a person's. */
    private static final String JOB_TRAILER = "Quiver-Job: ";

    private final HubClient client;
    private final Downloader downloader;
    private final Path workDir;
    private final HubPatience patience;

    JobExecution(HubClient client, Downloader downloader, Path workDir, HubPatience patience) {
        this.client = client;
        this.downloader = downloader;
        this.workDir = workDir;
        this.patience = patience;
    }

    Map<String, Object> run(ClaimedJob job, HubReporter reporter) throws IOException {
        return job.isTrain() ? train(job, reporter) : verify(job, reporter);
    }

    private Map<String, Object> train(ClaimedJob job, HubReporter reporter) throws IOException {
        Recipe recipe = Recipe.parse(job.recipe());
        reporter.log("fetching base model " + job.baseRepo() + "@" + shortSha(job.baseCommit()));
        Path base = snapshot(RepoRef.model(job.baseRepo()), job.baseCommit());
        reporter.log("fetching dataset " + job.datasetRepo() + "@" + shortSha(job.datasetCommit()));
        Path dataset = snapshot(RepoRef.dataset(job.datasetRepo()), job.datasetCommit());
        Path out = freshDir(job).resolve("adapter");
        Trainer.Result result = TrainingRun.run(RecipeTraining.request(recipe, base, dataset,
                new BaseModelName(job.baseRepo(), Optional.of(job.baseCommit())), out), reporter);
        reporter.log(String.format("trained %d steps: eval loss %.4f -> %.4f (%.0f tokens/s)", result.steps(),
                result.baseEvalLoss(), result.finalEvalLoss(), result.tokensPerSecond()));
        VerificationReport verification = Verifier.verify(base, out, Optional.empty(),
                RowFormat.parse(recipe.dataset().format().yamlName()), recipe.dataset().template(),
                recipe.training().maxLength());
        Map<String, Object> dynamic = dynamicCheck(verification, result.baseEvalLoss(), result.finalEvalLoss());
        reporter.log("verification: " + dynamic.get("summary"));
        String commit = commitAdapter(job, recipe, out, result, reporter);
        reporter.log("committed " + commit + " to " + job.adapterRepo());
        return report("succeeded", String.format("eval loss %.4f -> %.4f", result.baseEvalLoss(),
                result.finalEvalLoss()), Optional.of(commit), List.of(dynamic));
    }

    private Map<String, Object> verify(ClaimedJob job, HubReporter reporter) throws IOException {
        RepoRef adapter = RepoRef.model(job.adapterRepo());
        reporter.log("fetching adapter " + job.adapterRepo() + "@" + shortSha(job.adapterCommit()));
        Path adapterDir = snapshot(adapter, job.adapterCommit());
        JsonNode config = Json.mapper().readTree(adapterDir.resolve(PeftAdapterFiles.CONFIG).toFile());
        String baseRepo = config.path("base_model_name_or_path").asText("");
        String baseRev = !job.baseCommit().isEmpty() ? job.baseCommit() : config.path("revision").asText("main");
        reporter.log("fetching base model " + baseRepo + "@" + baseRev);
        Path base = snapshot(RepoRef.model(baseRepo), baseRev.isEmpty() ? "main" : baseRev);
        VerificationReport verification = Verifier.verify(base, adapterDir, Optional.empty(), RowFormat.TEXT,
                Optional.empty(), 256);
        Map<String, Object> dynamic = dynamicCheck(verification, Double.NaN, Double.NaN);
        reporter.log("verification: " + dynamic.get("summary"));
        return report(verification.passed() ? "succeeded" : "failed", (String) dynamic.get("summary"),
                Optional.of(job.adapterCommit()), List.of(dynamic));
    }

    /** The runner's verdict as one hub check named {@code dynamic}, with each underlying check in its details. */
    private static Map<String, Object> dynamicCheck(VerificationReport report, double baseLoss, double adapterLoss) {
        Map<String, Object> details = new LinkedHashMap<>(report.figures());
        if (!Double.isNaN(baseLoss)) {
            details.put("eval_loss_base", baseLoss);
            details.put("eval_loss_adapter", adapterLoss);
        }
        List<Map<String, String>> checks = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Check c : report.checks()) {
            checks.add(Map.of("name", c.name(), "status", c.status().name().toLowerCase(java.util.Locale.ROOT),
                    "details", c.details()));
            if (c.status() == Check.Status.FAIL) {
                failed.add(c.name() + ": " + c.details());
            }
        }
        details.put("checks", checks);
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", "dynamic");
        check.put("status", report.passed() ? "pass" : "fail");
        check.put("summary", report.passed() ? checks.size() + " runtime checks passed" : String.join("; ", failed));
        check.put("details", details);
        return check;
    }

    private String commitAdapter(ClaimedJob job, Recipe recipe, Path out, Trainer.Result result, HubReporter reporter) {
        RepoRef repo = RepoRef.model(job.adapterRepo());
        String target = recipe.output().candidateBranch().orElse(recipe.output().branch());
        patience.call("creating branch " + target, () -> {
            if (client.listRefs(repo).branches().stream().noneMatch(b -> b.name().equals(target))) {
                client.createBranch(repo, target, Optional.of(recipe.output().branch()));
            }
            return target;
        });
        Uploader uploader = new Uploader(client, TransferListener.NONE, 2);
        for (int attempt = 1; ; attempt++) {
            try {
                // a try cut off by the hub going away may have landed first: look before committing again
                return patience.call("committing the adapter", () -> landed(repo, target, job)
                        .orElseGet(() -> commitOnHead(job, recipe, target, out, result, uploader)));
            } catch (HubException e) {
                if (e.status() != 412 || attempt >= COMMIT_ATTEMPTS) {
                    throw e;
                }
                reporter.log(target + " moved while committing; retrying on top of the new head");
            }
        }
    }

    /** The commit this job already made on {@code branch}, found by the trailer its message carries. */
    private Optional<String> landed(RepoRef repo, String branch, ClaimedJob job) {
        return client.listCommits(repo, branch, 20).stream().filter(c -> c.message().contains(JOB_TRAILER + job.id()))
                .map(CommitEntry::id).findFirst();
    }

    /** Commits the adapter and its card on top of the target branch's head as it is now. */
    private String commitOnHead(ClaimedJob job, Recipe recipe, String target, Path out, Trainer.Result result,
            Uploader uploader) {
        RepoRef repo = RepoRef.model(job.adapterRepo());
        String head = client.resolveCommit(repo, target);
        Path card = out.resolve("README.md");
        try {
            Files.writeString(card, AdapterCard.render(readText(repo, head, "README.md"), new AdapterCard.Provenance(
                    job.adapterRepo(), job.baseRepo(), job.baseCommit(), job.datasetRepo(), job.datasetCommit(), job.id(),
                    result.baseEvalLoss(), result.finalEvalLoss())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<LocalFile> files = List.of(new LocalFile(out.resolve(PeftAdapterFiles.CONFIG), PeftAdapterFiles.CONFIG),
                new LocalFile(out.resolve(PeftAdapterFiles.WEIGHTS), PeftAdapterFiles.WEIGHTS),
                new LocalFile(card, "README.md"));
        String description = "Trained on " + job.datasetRepo() + "@" + job.datasetCommit() + " from " + job.baseRepo()
                + "@" + job.baseCommit() + ".\n\n" + JOB_TRAILER + job.id() + "\n";
        return uploader.upload(repo, files, new CommitOptions(target, "Retrain on " + job.datasetRepo() + "@"
                + shortSha(job.datasetCommit()), description, recipe.output().pullRequest(), Optional.of(head),
                List.of())).commitOid();
    }

    private Optional<String> readText(RepoRef repo, String commit, String path) {
        try {
            Path file = downloader.file(repo, commit, path, false);
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (HubException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path snapshot(RepoRef repo, String revision) {
        return patience.call("fetching " + repo + "@" + shortSha(revision),
                () -> downloader.snapshot(repo, revision, PathFilter.ALL, false).folder());
    }

    private Path freshDir(ClaimedJob job) throws IOException {
        Path dir = workDir.resolve("job-" + job.id() + "-" + job.attempt());
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static Map<String, Object> report(String status, String message, Optional<String> commit,
            List<Map<String, Object>> checks) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", status);
        r.put("message", message);
        commit.ifPresent(c -> r.put("commit", c));
        r.put("checks", checks);
        return r;
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}

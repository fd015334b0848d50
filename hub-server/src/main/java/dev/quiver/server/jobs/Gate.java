package dev.quiver.server.jobs;

import dev.quiver.schema.recipe.Recipe;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import dev.quiver.server.repo.Revision;
import dev.quiver.server.repo.Revisions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A recipe's verification gate: the checks it requires must pass, the adapter must lower eval loss
 * by the required margin (and beat the adapter it replaces, if asked). When the recipe sends results
 * to a candidate branch, a passing candidate moves the target branch forward; a failing one leaves
 * it where it was, and the reasons say why.
 */
public final class Gate {
    private final RepoStore repos;
    private final RepoWriter writer;
    private final CheckStore checks;

    public Gate(RepoStore repos, RepoWriter writer, CheckStore checks) {
        this.repos = repos;
        this.writer = writer;
        this.checks = checks;
    }

    /** What the gate decided, with every reason it failed. */
    public record Verdict(boolean passed, List<String> reasons, String summary) {
    }

    public Verdict decide(RepoId adapter, String commit, Recipe recipe) {
        Map<String, Check> byName = checks.of(adapter, commit).stream()
                .collect(Collectors.toMap(Check::name, Function.identity(), (a, b) -> b));
        List<String> reasons = new ArrayList<>();
        for (String required : recipe.gate().requiredChecks()) {
            Check c = byName.get(required);
            if (c == null) {
                reasons.add("required check '" + required + "' did not run");
            } else if (!c.passed()) {
                reasons.add("check '" + required + "' failed: " + c.summary());
            }
        }
        Optional<Check> dynamic = Optional.ofNullable(byName.get("dynamic"));
        double base = dynamic.map(d -> d.details().path("eval_loss_base").asDouble(Double.NaN)).orElse(Double.NaN);
        double tuned = dynamic.map(d -> d.details().path("eval_loss_adapter").asDouble(Double.NaN)).orElse(Double.NaN);
        double improvement = base - tuned;
        if (Double.isNaN(improvement)) {
            reasons.add("no eval loss was measured, so the improvement over the base model is unknown");
        } else if (improvement < recipe.gate().minEvalLossImprovement()) {
            reasons.add(String.format("eval loss %.4f vs %.4f for the base model: improvement %.4f is below the"
                    + " required %.4f", tuned, base, improvement, recipe.gate().minEvalLossImprovement()));
        }
        if (recipe.gate().mustBeatCurrent()) {
            currentEvalLoss(adapter, recipe.output().branch()).filter(current -> !(tuned < current))
                    .ifPresent(current -> reasons.add(String.format("eval loss %.4f does not beat the current"
                            + " adapter's %.4f", tuned, current)));
        }
        String summary = reasons.isEmpty() ? String.format("gate passed: eval loss %.4f (base %.4f)", tuned, base)
                : "gate failed: " + String.join("; ", reasons);
        return new Verdict(reasons.isEmpty(), reasons, summary);
    }

    /**
     * Moves the recipe's target branch to a candidate that passed, if the candidate builds on the
     * target's head (a person's newer commit on the target is never overwritten).
     */
    public Optional<String> promote(RepoId adapter, String commit, Recipe recipe) {
        String target = "refs/heads/" + recipe.output().branch();
        Repository git = repos.git(adapter);
        Optional<Revision> head = Revisions.find(git, recipe.output().branch());
        if (head.isPresent() && head.get().sha().equals(commit)) {
            return Optional.empty();
        }
        if (head.isPresent() && !isAncestor(git, head.get().sha(), commit)) {
            return Optional.of(recipe.output().branch() + " moved on since training started; the candidate stays on "
                    + recipe.output().candidateBranch().orElse("its branch"));
        }
        writer.locked(adapter, () -> {
            writer.moveRef(adapter, target, head.map(h -> (ObjectId) h.commit()).orElse(ObjectId.zeroId()),
                    ObjectId.fromString(commit), false);
            return null;
        });
        return Optional.empty();
    }

    private Optional<Double> currentEvalLoss(RepoId adapter, String branch) {
        return Revisions.find(repos.git(adapter), branch).flatMap(h -> checks.of(adapter, h.sha()).stream()
                .filter(c -> c.name().equals("dynamic")).findFirst())
                .map(c -> c.details().path("eval_loss_adapter").asDouble(Double.NaN)).filter(d -> !d.isNaN());
    }

    private static boolean isAncestor(Repository git, String ancestor, String descendant) {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
                    walk.parseCommit(ObjectId.fromString(descendant)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

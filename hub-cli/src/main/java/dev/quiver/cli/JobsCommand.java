package dev.quiver.cli;

import dev.quiver.client.HubClient;
import dev.quiver.client.JobInfo;
import dev.quiver.client.JobsClient;
import dev.quiver.client.RepoRef;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quiver jobs list|show|logs|cancel|train}: training and verification jobs on a Quiver hub. */
@Command(name = "jobs", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        description = {"Training and verification jobs (a Quiver hub feature).",
            "A job is named by its id; jobs of another namespace (an organisation) are NAMESPACE/ID."},
        footerHeading = "%nExamples:%n", footer = {
            "  quiver jobs list",
            "  quiver jobs list --repo acme/my-lora --json",
            "  quiver jobs train acme/my-lora --follow      (retrain from the repo's quiver.yaml now)",
            "  quiver jobs show acme/0f3c9a",
            "  quiver jobs logs acme/0f3c9a --follow",
            "  quiver jobs cancel acme/0f3c9a",
            "", ExitCodes.HELP})
final class JobsCommand extends CommandGroup {
    /** A job named {@code NAMESPACE/ID}, or a bare id in the caller's own namespace. */
    private record JobRef(String namespace, String id) {
        static JobRef parse(String text, HubClient client) {
            int slash = text.indexOf('/');
            if (slash > 0 && slash < text.length() - 1 && text.indexOf('/', slash + 1) < 0) {
                return new JobRef(text.substring(0, slash), text.substring(slash + 1));
            }
            if (text.isBlank() || text.contains("/")) {
                throw new IllegalArgumentException("a job is ID or NAMESPACE/ID, not '" + text + "'");
            }
            return new JobRef(client.whoami().name(), text);
        }
    }

    @Command(name = "list", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "List jobs of a namespace (yours by default) or of one repository.",
            footerHeading = "%nExamples:%n", footer = {"  quiver jobs list", "  quiver jobs list acme", "  quiver jobs list --repo acme/my-lora --json", "", ExitCodes.HELP})
    int list(@Parameters(paramLabel = "NAMESPACE", arity = "0..1", description = "User or organisation.") Optional<String> namespace,
            @Option(names = "--repo", paramLabel = "REPO", description = "Only jobs of this model repository.") Optional<String> repo,
            @Mixin JsonOption output) {
        HubClient client = client();
        JobsClient jobs = new JobsClient(client.http());
        List<JobInfo> list = repo.isPresent() ? jobs.listFor(RepoRef.model(repo.get()))
                : jobs.list(namespace.orElseGet(() -> client.whoami().name()));
        PrintWriter out = out();
        if (output.json) {
            Output.json(out, list);
            return ExitCodes.OK;
        }
        Table t = new Table("ID", "KIND", "REPO", "STATUS", "CREATED", "MESSAGE");
        list.forEach(j -> t.row(j.id(), j.kind(), j.repo(), j.status(), Output.date(j.createdAt()), j.message()));
        if (t.isEmpty()) {
            out.println("(no jobs)");
            out.flush();
        } else {
            t.print(out);
        }
        return ExitCodes.OK;
    }

    @Command(name = "show", usageHelpAutoWidth = true, mixinStandardHelpOptions = true, description = "Show one job.",
            footerHeading = "%nExamples:%n", footer = {"  quiver jobs show 0f3c9a", "  quiver jobs show acme/0f3c9a --json", "", ExitCodes.HELP})
    int show(@Parameters(paramLabel = "JOB", description = "ID or NAMESPACE/ID") String job, @Mixin JsonOption output) {
        HubClient client = client();
        JobRef ref = JobRef.parse(job, client);
        JobInfo j = new JobsClient(client.http()).get(ref.namespace(), ref.id());
        print(j, output.json);
        return ExitCodes.OK;
    }

    @Command(name = "logs", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = "Print a job's log; with --follow, keep printing until the job ends (exit 1 unless it succeeded).",
            footerHeading = "%nExamples:%n", footer = {"  quiver jobs logs acme/0f3c9a", "  quiver jobs logs acme/0f3c9a --follow", "", ExitCodes.HELP})
    int logs(@Parameters(paramLabel = "JOB", description = "ID or NAMESPACE/ID") String job,
            @Option(names = {"-f", "--follow"}, description = "Wait for more until the job has ended.") boolean follow) {
        HubClient client = client();
        JobRef ref = JobRef.parse(job, client);
        JobsClient jobs = new JobsClient(client.http());
        PrintWriter out = out();
        jobs.logs(ref.namespace(), ref.id(), follow, line -> {
            out.println(line);
            out.flush();
        });
        return follow ? exitFor(jobs.get(ref.namespace(), ref.id())) : ExitCodes.OK;
    }

    @Command(name = "cancel", usageHelpAutoWidth = true, mixinStandardHelpOptions = true, description = "Cancel a job.",
            footerHeading = "%nExamples:%n", footer = {"  quiver jobs cancel acme/0f3c9a", "", ExitCodes.HELP})
    int cancel(@Parameters(paramLabel = "JOB", description = "ID or NAMESPACE/ID") String job, @Mixin JsonOption output) {
        HubClient client = client();
        JobRef ref = JobRef.parse(job, client);
        print(new JobsClient(client.http()).cancel(ref.namespace(), ref.id()), output.json);
        return ExitCodes.OK;
    }

    @Command(name = "train", usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
            description = {"Queue a retrain of an adapter repository from its quiver.yaml recipe, on the hub's runners.",
                "(`quiver train` without `jobs` trains locally, without a hub.)"},
            footerHeading = "%nExamples:%n", footer = {"  quiver jobs train acme/my-lora", "  quiver jobs train acme/my-lora --follow", "", ExitCodes.HELP})
    int train(@Parameters(paramLabel = "REPO", description = "The adapter repository.") String id,
            @Option(names = {"-f", "--follow"}, description = "Print the job's log until it ends; exit 1 unless it succeeded.") boolean follow,
            @Mixin JsonOption output) {
        RepoRef repo = RepoRef.model(id);
        JobsClient jobs = new JobsClient(client().http());
        JobInfo job = jobs.train(repo);
        if (!follow) {
            print(job, output.json);
            return ExitCodes.OK;
        }
        String namespace = repo.namespace().orElseThrow();
        PrintWriter err = err();
        err.println("Queued job " + namespace + "/" + job.id() + "; following its log");
        err.flush();
        PrintWriter out = out();
        jobs.logs(namespace, job.id(), true, line -> {
            out.println(line);
            out.flush();
        });
        JobInfo done = jobs.get(namespace, job.id());
        print(done, output.json);
        return exitFor(done);
    }

    private static int exitFor(JobInfo job) {
        return job.status().equals("succeeded") || job.status().equals("completed") ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private void print(JobInfo j, boolean json) {
        PrintWriter out = out();
        if (json) {
            Output.json(out, j);
            return;
        }
        out.println(j.id() + "  " + j.kind() + " " + j.repo() + "  " + j.status());
        if (!j.message().isEmpty()) {
            out.println("  " + j.message());
        }
        out.println("  created " + Output.date(j.createdAt()) + j.finishedAt().map(f -> ", finished " + Output.date(f)).orElse(""));
        j.resultCommit().ifPresent(c -> out.println("  result  " + c));
        out.flush();
    }
}

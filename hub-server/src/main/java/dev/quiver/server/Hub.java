package dev.quiver.server;

import dev.quiver.server.api.AccountEndpoints;
import dev.quiver.server.api.AdminEndpoints;
import dev.quiver.server.api.OrgEndpoints;
import dev.quiver.server.api.SignInEndpoints;
import dev.quiver.server.api.TokenEndpoints;
import dev.quiver.server.api.BaseUrl;
import dev.quiver.server.api.CommitEndpoints;
import dev.quiver.server.api.LfsEndpoints;
import dev.quiver.server.api.ErrorWriter;
import dev.quiver.server.api.JobEndpoints;
import dev.quiver.server.api.RunnerEndpoints;
import dev.quiver.server.api.WebhookEndpoints;
import dev.quiver.server.hooks.WebhookDispatcher;
import dev.quiver.server.hooks.WebhookSender;
import dev.quiver.server.hooks.WebhookStore;
import dev.quiver.server.api.FileEndpoints;
import dev.quiver.server.api.InfoEndpoints;
import dev.quiver.server.api.RefEndpoints;
import dev.quiver.server.api.TreeEndpoints;
import dev.quiver.server.api.RepoEndpoints;
import dev.quiver.server.api.SearchEndpoints;
import dev.quiver.server.api.Router;
import dev.quiver.server.api.UiEndpoints;
import dev.quiver.server.api.WebUi;
import dev.quiver.server.auth.AdminBootstrap;
import dev.quiver.server.auth.AuthServices;
import dev.quiver.server.auth.OidcConfig;
import dev.quiver.server.auth.Permissions;
import dev.quiver.server.auth.TokenService;
import dev.quiver.server.auth.UserStore;
import dev.quiver.server.db.Database;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.OutboxSubscriber;
import dev.quiver.server.jobs.CheckStore;
import dev.quiver.server.jobs.Gate;
import dev.quiver.server.jobs.JobQueue;
import dev.quiver.server.jobs.JobResults;
import dev.quiver.server.jobs.JobStore;
import dev.quiver.server.jobs.RecipeIndex;
import dev.quiver.server.jobs.RunnerStore;
import dev.quiver.server.jobs.StaticCheck;
import dev.quiver.server.jobs.TrainingTrigger;
import dev.quiver.server.jobs.VerificationTrigger;
import dev.quiver.server.git.GitCaches;
import dev.quiver.server.git.GitEndpoints;
import dev.quiver.server.git.GitService;
import dev.quiver.server.git.GzipRequestDecoding;
import dev.quiver.server.git.Housekeeping;
import dev.quiver.server.git.LfsLocksEndpoints;
import dev.quiver.server.git.PushHook;
import dev.quiver.server.git.PushRules;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.lfs.FileBlobStore;
import dev.quiver.server.lfs.LfsBatch;
import dev.quiver.server.lfs.UrlSigner;
import dev.quiver.server.repo.ContentRules;
import dev.quiver.server.repo.RepoStore;
import dev.quiver.server.repo.RepoWriter;
import dev.quiver.server.repo.UploadPlanner;
import dev.quiver.server.search.RepoSearch;
import dev.quiver.server.search.SearchIndex;
import dev.quiver.server.search.SearchIndexer;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running hub, and the one place its objects are created and wired together. Closing it stops the
 * server and releases everything in reverse order.
 */
public final class Hub implements AutoCloseable {
    private final HubConfig config;
    private final WebServer server;
    private final List<AutoCloseable> resources;
    private final Optional<Path> generatedTokenFile;
    private final RepoStore repos;
    private final RepoWriter writer;
    private final BlobStore blobs;
    private final Outbox outbox;

    private Hub(HubConfig config, WebServer server, List<AutoCloseable> resources, Optional<Path> tokenFile,
            RepoStore repos, RepoWriter writer, BlobStore blobs, Outbox outbox) {
        this.config = config;
        this.server = server;
        this.resources = resources;
        this.generatedTokenFile = tokenFile;
        this.repos = repos;
        this.writer = writer;
        this.blobs = blobs;
        this.outbox = outbox;
    }

    public static Hub start(HubConfig config) {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Path data = config.dataDir();
            Files.createDirectories(data);
            GitCaches.install();
            Database db = Database.open(data.resolve("quiver.db"));
            resources.add(db);
            Outbox outbox = new Outbox(db);
            FileBlobStore blobs = new FileBlobStore(data.resolve("lfs"));
            blobs.cleanIncoming();
            RepoStore repos = new RepoStore(data, db, outbox);
            resources.add(repos);
            ContentRules contentRules = new ContentRules(blobs);
            RepoWriter writer = new RepoWriter(repos, outbox, contentRules);
            writer.recover();
            resources.add(new Housekeeping(repos, writer, Housekeeping.Thresholds.defaults(),
                    Duration.ofSeconds(10)).start(outbox));
            SearchIndex searchIndex = SearchIndex.open(data.resolve("index"));
            resources.add(searchIndex);
            resources.add(SearchIndexer.start(searchIndex, repos, blobs, outbox));

            JobQueue queue = new JobQueue(new JobStore(db, outbox), config.jobLease());
            resources.add(queue);
            RecipeIndex recipes = new RecipeIndex(db);
            TrainingTrigger training = new TrainingTrigger(repos, recipes, queue);
            resources.add(OutboxSubscriber.start("training", outbox, training::on));
            CheckStore checks = new CheckStore(db, repos, writer, outbox);
            StaticCheck staticCheck = new StaticCheck(repos, blobs);
            resources.add(OutboxSubscriber.start("verification", outbox,
                    new VerificationTrigger(repos, staticCheck, checks, recipes, queue)::on));
            JobResults jobResults = new JobResults(queue.store(), repos, checks, staticCheck,
                    new Gate(repos, writer, checks));

            UserStore users = new UserStore(db);
            WebhookStore webhooks = new WebhookStore(db);
            resources.add(new WebhookSender(webhooks));
            TokenService tokens = new TokenService(db);
            Optional<Path> tokenFile = AdminBootstrap.ensureAdmin(users, tokens, data, config.adminToken());
            Permissions permissions = new Permissions(repos);
            AuthServices auth = AuthServices.create(db, users, tokens, permissions, config.oidc(),
                    config.authThrottle());
            UrlSigner signer = UrlSigner.fromDataDir(data);

            Router router = Router.builder()
                    .with(new AccountEndpoints(users)::routes)
                    .with(new TokenEndpoints(auth.accounts())::routes)
                    .with(new OrgEndpoints(auth.accounts())::routes)
                    .with(new AdminEndpoints(auth.accounts(), auth.audit(), permissions)::routes)
                    .with(new SignInEndpoints(auth.accounts(), auth.sessions(), auth.webSignIn())::routes)
                    .with(new JobEndpoints(queue.store(), training, checks, repos, permissions)::routes)
                    .with(new RunnerEndpoints(queue, jobResults, new RunnerStore(db))::routes)
                    .with(new WebhookEndpoints(webhooks)::routes)
                    .with(new RepoEndpoints(repos, permissions, auth.audit())::routes)
                    .with(new CommitEndpoints(writer, new UploadPlanner(repos), blobs, permissions)::routes)
                    .with(new LfsEndpoints(new LfsBatch(blobs, signer), blobs, signer, permissions)::routes)
                    .with(new GitEndpoints(new GitService(repos, permissions,
                            PushHook.Factory.of(new PushRules(contentRules), writer)))::routes)
                    .with(new LfsLocksEndpoints(permissions)::routes)
                    .with(new FileEndpoints(repos, permissions, blobs)::routes)
                    .with(new SearchEndpoints(new RepoSearch(searchIndex), repos, permissions)::routes)
                    .with(new InfoEndpoints(repos, permissions, blobs)::routes)
                    .with(new TreeEndpoints(repos, permissions)::routes)
                    .with(new RefEndpoints(repos, permissions, writer)::routes)
                    .with(new UiEndpoints(repos, permissions, blobs)::routes)
                    .build(auth.authenticator(), new ErrorWriter(), new BaseUrl(config.publicUrl()));

            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    // HF clients send raw brackets in queries (expand[]=x), which Helidon's prologue and
                    // path checks refuse; the Router decodes and validates paths per segment instead.
                    .addProtocol(Http1Config.builder().validatePath(false).validatePrologue(false).build())
                    // gzip request bodies are decoded (git sends them); no response is ever compressed
                    .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false)
                            .contentEncodings(List.of(new GzipRequestDecoding())).build())
                    .routing(r -> r.any(router).any(new WebUi(config.oidc().map(OidcConfig::issuerOrigin))))
                    .build()
                    .start();
            resources.add(server::stop);
            if (!server.isRunning()) {
                // Helidon logs a failed bind and returns a stopped server instead of throwing
                throw new UncheckedIOException(new BindException("the hub could not listen on " + config.host()
                        + ":" + config.port() + " (in use, or not an address of this machine)"));
            }
            queue.start();
            String url = config.publicUrl().orElse("http://" + config.host() + ":" + server.port());
            resources.add(OutboxSubscriber.start("webhooks", outbox,
                    new WebhookDispatcher(webhooks, repos, users, url)::on));
            return new Hub(config, server, resources, tokenFile, repos, writer, blobs, outbox);
        } catch (IOException e) {
            closeAll(resources);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return config.publicUrl().orElse("http://" + config.host() + ":" + port());
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Where a newly generated admin token was written, when this start generated one. */
    public Optional<Path> generatedTokenFile() {
        return generatedTokenFile;
    }

    public RepoStore repos() {
        return repos;
    }

    public RepoWriter writer() {
        return writer;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing is best effort; data is already durable
            }
        }
        resources.clear();
    }
}

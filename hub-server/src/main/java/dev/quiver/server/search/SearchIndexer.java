package dev.quiver.server.search;

import dev.quiver.schema.repo.RepoType;
import dev.quiver.server.db.Outbox;
import dev.quiver.server.db.OutboxSubscriber;
import dev.quiver.server.db.RepoEvent;
import dev.quiver.server.lfs.BlobStore;
import dev.quiver.server.repo.HostedTypes;
import dev.quiver.server.repo.RepoId;
import dev.quiver.server.repo.RepoInfo;
import dev.quiver.server.repo.RepoStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the search index in step with the repositories. It follows the outbox as subscriber
 * {@value #SUBSCRIBER}, re-reading a repository's current state for each event (so replaying an
 * event is harmless), and rebuilds the whole index from {@link RepoStore#list} when the index was
 * started over.
 *
 * <p>Where to resume is the outbox position stored in the index's last commit, not the subscriber's
 * own offset: after a crash the index may have lost changes made since its last commit, and
 * replaying from the commit's position brings them back.
 */
public final class SearchIndexer implements AutoCloseable {
    public static final String SUBSCRIBER = "search";
    private static final Logger LOG = Logger.getLogger(SearchIndexer.class.getName());

    private final SearchIndex index;
    private final RepoDocuments documents;
    private final RepoStore repos;
    private final Outbox outbox;
    private final Thread starter;
    /**
     * Where index writes happen: never on the subscriber's thread, which is interrupted on shutdown,
     * and an interrupt inside Lucene's file writes makes the writer close itself.
     */
    private final ExecutorService writes = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("search-writes").daemon().factory());
    private volatile boolean closed;
    private volatile Optional<OutboxSubscriber> subscriber = Optional.empty();

    private SearchIndexer(SearchIndex index, RepoStore repos, BlobStore blobs, Outbox outbox) {
        this.index = index;
        this.repos = repos;
        this.documents = new RepoDocuments(repos, blobs);
        this.outbox = outbox;
        this.starter = Thread.ofVirtual().name("search-start").unstarted(this::startUp);
    }

    /**
     * Starts following the outbox, after a rebuild if the index needs one. The rebuild runs in the
     * background: the hub serves meanwhile, and searches see repositories as they are added.
     */
    public static SearchIndexer start(SearchIndex index, RepoStore repos, BlobStore blobs, Outbox outbox) {
        SearchIndexer indexer = new SearchIndexer(index, repos, blobs, outbox);
        indexer.starter.start();
        return indexer;
    }

    private void startUp() {
        try {
            if (index.needsRebuild()) {
                rebuild();
            }
            if (!closed) {
                outbox.saveOffset(SUBSCRIBER, index.appliedSeq());
                subscriber = Optional.of(OutboxSubscriber.start(SUBSCRIBER, outbox, this::handle));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "search indexing could not start; search answers from what is indexed", e);
        }
    }

    /**
     * Indexes every repository, reading them on as many threads as there are cores (reading a head's
     * card and headers from git is most of the work). Events confirmed from the moment it starts are
     * replayed afterwards, so a change made during the rebuild is never lost.
     */
    private void rebuild() {
        long seq = outbox.lastSeq();
        long started = System.nanoTime();
        List<RepoInfo> all = new ArrayList<>();
        for (RepoType type : HostedTypes.ALL) {
            all.addAll(repos.list(type));
        }
        AtomicInteger next = new AtomicInteger();
        int threads = Runtime.getRuntime().availableProcessors();
        index.bulk(() -> {
            try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                    Thread.ofPlatform().name("search-rebuild-", 1).daemon().factory())) {
                for (int t = 0; t < threads; t++) {
                    pool.execute(() -> {
                        for (int i = next.getAndIncrement(); i < all.size() && !closed; i = next.getAndIncrement()) {
                            indexOne(all.get(i));
                        }
                    });
                }
            }
        });
        if (closed) {
            return; // uncommitted: the next start rebuilds again
        }
        index.applied(seq);
        index.commit();
        index.refresh();
        LOG.info("search index rebuilt: " + all.size() + " repositories in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private void indexOne(RepoInfo info) {
        try {
            documents.load(info).ifPresent(index::put);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot index " + info.id() + "; it stays out of search until it changes", e);
        }
    }

    private void handle(RepoEvent event) {
        if (closed) {
            // nothing is written once closing began; the next start replays from the index's last commit
            return;
        }
        Future<?> written;
        try {
            written = writes.submit(() -> apply(event));
        } catch (RejectedExecutionException e) {
            return; // closing began meanwhile: as above
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    written.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // finish this event first; the subscriber stops afterwards
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void apply(RepoEvent event) {
        switch (event.kind()) {
            case REF_UPDATED -> {
                if (event.ref().equals(RepoDocuments.DEFAULT_REF)) {
                    reindex(event.repo());
                }
            }
            case REPO_CREATED, REPO_DELETED, REPO_SETTINGS_CHANGED -> reindex(event.repo());
        }
        index.applied(event.seq());
    }

    private void reindex(RepoId id) {
        documents.load(id).ifPresentOrElse(index::put, () -> index.remove(id));
    }

    @Override
    public void close() {
        closed = true;
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriber.ifPresent(OutboxSubscriber::close);
        writes.shutdown();
        try {
            if (!writes.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("an index write did not finish within 30 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

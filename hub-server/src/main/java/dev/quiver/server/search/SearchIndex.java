package dev.quiver.server.search;

import dev.quiver.server.repo.RepoId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * The Lucene index under {@code DATA/index}: one writer, a {@link SearcherManager} refreshed in the
 * background so that a change is searchable within {@link #REFRESH_MILLIS}, and commits that
 * carry the schema version and the last outbox event the index reflects.
 *
 * <p>The index is derived data. {@link #open} starts empty (and says {@link #needsRebuild()}) when
 * the directory holds no index, an unreadable one, or one of another schema version.
 */
public final class SearchIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SearchIndex.class.getName());
    /** How stale a search may be: changes are made searchable this often. */
    static final long REFRESH_MILLIS = 250;
    /** During a bulk load, refreshing as often would cut the index into tiny segments to merge again. */
    private static final long BULK_REFRESH_MILLIS = 5_000;
    private static final long COMMIT_INTERVAL_MILLIS = 5_000;

    private final Directory dir;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final FacetsConfig facets = IndexSchema.facetsConfig();
    private final ChangeLog changes = new ChangeLog();
    private final FacetedSearcher.Factory searcherFactory = new FacetedSearcher.Factory(facets, changes);
    private final boolean needsRebuild;
    private final AtomicLong appliedSeq;
    private final Thread maintenance;
    private final ExecutorService computing = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), Thread.ofPlatform().name("search-compute-", 0).daemon()
                    .factory());
    private final Object wake = new Object();
    /** One refresh at a time, so that the mark taken before it belongs to the reader it opens. */
    private final Object refreshing = new Object();
    private volatile boolean closed;
    private volatile boolean bulk;

    private SearchIndex(Directory dir, IndexWriter writer, boolean needsRebuild, long seq) throws IOException {
        this.dir = dir;
        this.writer = writer;
        this.needsRebuild = needsRebuild;
        this.appliedSeq = new AtomicLong(seq);
        this.searchers = new SearcherManager(writer, searcherFactory);
        this.maintenance = Thread.ofPlatform().name("search-refresh").daemon().start(this::refreshAndCommit);
    }

    /** Opens the index in {@code path}, starting over when it is missing, unreadable or of another schema. */
    public static SearchIndex open(Path path) {
        try {
            Files.createDirectories(path);
            Directory dir = FSDirectory.open(path);
            Optional<Long> seq = usableCommit(dir);
            if (seq.isPresent()) {
                IndexWriter writer = null;
                try {
                    writer = newWriter(dir, IndexWriterConfig.OpenMode.APPEND);
                    return new SearchIndex(dir, writer, false, seq.get());
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "search index in " + path + " cannot be opened; rebuilding it", e);
                    IOUtils.closeWhileHandlingException(writer);
                }
            }
            clear(dir);
            return new SearchIndex(dir, newWriter(dir, IndexWriterConfig.OpenMode.CREATE), true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + path, e);
        }
    }

    /** The outbox position of the last commit, when the directory holds a readable index of this schema. */
    private static Optional<Long> usableCommit(Directory dir) {
        try {
            if (!DirectoryReader.indexExists(dir)) {
                return Optional.empty();
            }
            Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
            if (!IndexSchema.VERSION.equals(data.get(IndexSchema.USER_DATA_VERSION))) {
                LOG.info("search index has schema " + data.get(IndexSchema.USER_DATA_VERSION) + ", not "
                        + IndexSchema.VERSION + "; rebuilding it");
                return Optional.empty();
            }
            // a reader opens every segment and checks their headers and footers
            DirectoryReader.open(dir).close();
            return Optional.of(Long.parseLong(data.getOrDefault(IndexSchema.USER_DATA_SEQ, "0")));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "search index is unreadable; rebuilding it", e);
            return Optional.empty();
        }
    }

    /** Removes whatever an unusable index left, so that nothing of it can be mistaken for the new one. */
    private static void clear(Directory dir) throws IOException {
        for (String file : dir.listAll()) {
            if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) {
                dir.deleteFile(file);
            }
        }
    }

    private static IndexWriter newWriter(Directory dir, IndexWriterConfig.OpenMode mode) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig(Analyzers.forIndexing());
        config.setOpenMode(mode);
        config.setRAMBufferSizeMB(64);
        return new IndexWriter(dir, config);
    }

    /** True when the index was started over and must be filled from the repositories. */
    public boolean needsRebuild() {
        return needsRebuild;
    }

    /** The last outbox event whose effect is in the index (committed or not). */
    public long appliedSeq() {
        return appliedSeq.get();
    }

    /** Adds or replaces the document of {@code doc}'s repository. */
    public void put(RepoDocument doc) {
        String key = DocumentMapper.key(doc.id());
        long ticket = changes.begin(key);
        try {
            writer.updateDocument(new Term(IndexSchema.KEY, key), facets.build(DocumentMapper.toLucene(doc)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            changes.end(ticket);
        }
    }

    public void remove(RepoId id) {
        String key = DocumentMapper.key(id);
        long ticket = changes.begin(key);
        try {
            writer.deleteDocuments(new Term(IndexSchema.KEY, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            changes.end(ticket);
        }
    }

    /** Records that the effects of outbox events up to {@code seq} are in the index. */
    public void applied(long seq) {
        appliedSeq.accumulateAndGet(seq, Math::max);
    }

    /** Makes everything written so far durable, with the schema version and the applied outbox position. */
    public synchronized void commit() {
        try {
            writer.setLiveCommitData(Map.of(IndexSchema.USER_DATA_VERSION, IndexSchema.VERSION,
                    IndexSchema.USER_DATA_SEQ, Long.toString(appliedSeq.get())).entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes everything written so far searchable now rather than within the refresh interval. */
    public void refresh() {
        try {
            refreshSearchers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a reader with what was written, marking for it which writes had finished before. */
    private void refreshSearchers() throws IOException {
        synchronized (refreshing) {
            searcherFactory.opening(changes.settled());
            searchers.maybeRefreshBlocking();
            searcherFactory.refreshed();
        }
    }

    /** Runs {@code work} on a current searcher, released afterwards. */
    <T> T withSearcher(Function<FacetedSearcher, T> work) {
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return work.apply((FacetedSearcher) searcher);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not release a searcher", e);
            }
        }
    }

    /**
     * Runs {@code work} on the index's own platform threads and waits for it, uninterruptibly (the
     * work may hold a searcher the caller releases afterwards). Requests are served on virtual
     * threads, and a virtual thread keeps its carrier, one per core, until it blocks: a search that
     * computes for tens of milliseconds would hold every cheap request queued on that core behind
     * it. On platform threads the operating system shares the cores between both.
     */
    <T> T compute(Supplier<T> work) {
        Future<T> result = computing.submit(work::get);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code work}, which adds many documents, with searches refreshed seldom rather than often. */
    public void bulk(Runnable work) {
        bulk = true;
        try {
            work.run();
        } finally {
            bulk = false;
        }
    }

    /** Makes changes searchable every {@link #REFRESH_MILLIS} and durable every few seconds. */
    private void refreshAndCommit() {
        long lastRefresh = System.nanoTime();
        long lastCommit = System.nanoTime();
        long committed = -1;
        while (!closed) {
            try {
                synchronized (wake) {
                    wake.wait(REFRESH_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            try {
                if (!closed && (!bulk || now - lastRefresh > BULK_REFRESH_MILLIS * 1_000_000)) {
                    lastRefresh = now;
                    refreshSearchers();
                }
                if (!closed && now - lastCommit > COMMIT_INTERVAL_MILLIS * 1_000_000
                        && (writer.hasUncommittedChanges() || committed != appliedSeq.get())) {
                    lastCommit = now;
                    committed = appliedSeq.get();
                    commit();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "search index refresh or commit failed; retrying later", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        computing.shutdown();
        // no interrupt: an interrupted thread would abort Lucene's file writes mid-commit
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            maintenance.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            commit();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "final search index commit failed; the next start replays from the last one", e);
        }
        searcherFactory.close();
        try (dir; writer; searchers) {
            // closed in reverse order by try-with-resources
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the search index failed", e);
        }
    }
}

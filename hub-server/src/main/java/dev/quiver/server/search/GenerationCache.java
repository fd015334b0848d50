package dev.quiver.server.search;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Answers computed from one index reader, kept for as long as that reader serves searches. Each
 * {@link FacetedSearcher} owns its caches, so a refresh that makes a change searchable also starts
 * with empty ones, into which only answers the change cannot have touched are carried.
 *
 * <p>A key must hold everything the answer depends on besides the reader, the caller's
 * {@link ReadScope} included, so that one caller's answer (counts of private repositories) never
 * reaches another.
 *
 * <p>Bounded in entries and in estimated bytes, in two generations: when the current one is full it
 * becomes the previous one and the one before is dropped; an answer found in the previous generation
 * moves back to the current one. What is asked often stays, a long tail of one-off searches passes
 * through, and the cache never holds more than twice its bounds.
 *
 * <p>Searches that miss the same key at once (many clients right after a refresh) compute it once:
 * the others wait for that answer, unless {@code recent} has one from the reader before, replaced
 * moments ago: then they take that rather than queue behind the computation (a popular answer that
 * a change touched would otherwise hold every client asking for it). Before computing, a miss asks
 * {@code carried} for the answer of the reader before, which it gives when the changes since
 * cannot have touched it.
 */
final class GenerationCache<K, V> {
    /** Entries per generation; {@code -Dquiver.search.cache-entries=0} turns caching off. */
    static final int MAX_ENTRIES = Integer.getInteger("quiver.search.cache-entries", 1024);
    /** Estimated bytes per generation: a 32nd of the heap (64 MiB of a 2 GiB heap). */
    static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 32;
    private static final LongAdder HITS = new LongAdder();
    private static final LongAdder MISSES = new LongAdder();
    private static final LongAdder CARRIED = new LongAdder();
    private static final LongAdder RECENT = new LongAdder();

    private final int maxEntries;
    private final long maxBytes;
    private volatile Generation<K, V> current = new Generation<>();
    private volatile Generation<K, V> previous = new Generation<>();
    private final ConcurrentHashMap<K, CompletableFuture<V>> computing = new ConcurrentHashMap<>();
    private final Function<K, Optional<V>> carried;
    private final Function<K, Optional<V>> recent;

    GenerationCache(Function<K, Optional<V>> carried, Function<K, Optional<V>> recent) {
        this(MAX_ENTRIES, MAX_BYTES, carried, recent);
    }

    GenerationCache(int maxEntries, long maxBytes, Function<K, Optional<V>> carried, Function<K, Optional<V>> recent) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.carried = carried;
        this.recent = recent;
    }

    /** The answer for {@code key} if kept, without counting the lookup or keeping it longer. */
    Optional<V> peek(K key) {
        Sized<V> found = current.entries.get(key);
        return Optional.ofNullable(found != null ? found : previous.entries.get(key)).map(Sized::value);
    }

    /** The answer for {@code key}, if computed from this reader before. */
    Optional<V> get(K key) {
        Sized<V> found = current.entries.get(key);
        if (found == null) {
            found = previous.entries.get(key);
            if (found != null) {
                put(key, found.value, found.bytes);
            }
        }
        (found == null ? MISSES : HITS).increment();
        return found == null ? Optional.empty() : Optional.of(found.value);
    }

    /**
     * The answer for {@code key}: kept from before, being computed by another search (then waited for),
     * carried from the reader before, or computed now by {@code compute}; kept, estimated at
     * {@code bytes} of it.
     */
    V get(K key, Supplier<V> compute, ToLongFunction<V> bytes) {
        Optional<V> known = get(key);
        if (known.isPresent()) {
            return known.get();
        }
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = computing.putIfAbsent(key, mine);
        if (other != null) {
            Optional<V> before = recent.apply(key);
            if (before.isPresent()) {
                RECENT.increment();
                return before.get();
            }
            try {
                return other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Optional<V> kept = carried.apply(key);
            kept.ifPresent(v -> CARRIED.increment());
            V value = kept.orElseGet(compute);
            put(key, value, bytes.applyAsLong(value));
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            computing.remove(key, mine);
        }
    }

    /**
     * Keeps {@code value}, estimated at {@code bytes}, as the answer for {@code key}, unless it alone
     * is larger than a generation; two searches may race to put equal answers. Returns {@code value}.
     */
    V put(K key, V value, long bytes) {
        if (maxEntries > 0 && bytes <= maxBytes) {
            Generation<K, V> g = current;
            if (g.entries.size() >= maxEntries || g.bytes.get() + bytes > maxBytes) {
                g = rotate(g);
            }
            if (g.entries.put(key, new Sized<>(value, bytes)) == null) {
                g.bytes.addAndGet(bytes);
            }
        }
        return value;
    }

    private synchronized Generation<K, V> rotate(Generation<K, V> full) {
        if (current == full) {
            previous = full;
            current = new Generation<>();
        }
        return current;
    }

    /** Entries held, in both generations. */
    int size() {
        return current.entries.size() + previous.entries.size();
    }

    /**
     * Lookups that found an answer, those that did not, how many of those took the answer of the
     * reader before as still valid, and how many took it as recent while another computed, over
     * every cache since start (for benchmarks).
     */
    static long[] hitsMissesCarriedRecent() {
        return new long[] {HITS.sum(), MISSES.sum(), CARRIED.sum(), RECENT.sum()};
    }

    private record Sized<V>(V value, long bytes) {
    }

    private static final class Generation<K, V> {
        private final ConcurrentHashMap<K, Sized<V>> entries = new ConcurrentHashMap<>();
        private final AtomicLong bytes = new AtomicLong();
    }
}

package dev.quiver.server.search;

import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The documents written to the index, each with a ticket in the order the writes began, so that a
 * new reader can name the documents that may differ from the reader before it.
 *
 * <p>A reader holds every write that had finished when it was opened, and perhaps some that were
 * still under way. So if {@link #settled()} is taken just before each reader opens, the documents
 * a new reader may show differently from the one before are among those with tickets above the
 * previous reader's mark: whatever is at or below it is in both.
 */
final class ChangeLog {
    /** More changes than this between two readers are not worth checking answers against. */
    static final int MAX_CHANGES = 256;

    private long started;
    private final TreeSet<Long> writing = new TreeSet<>();
    private final TreeMap<Long, String> keys = new TreeMap<>();

    /** Records that a write of the document {@code key} begins; returns its ticket. */
    synchronized long begin(String key) {
        long ticket = ++started;
        writing.add(ticket);
        keys.put(ticket, key);
        return ticket;
    }

    /** Records that the write with {@code ticket} has finished, whether or not it succeeded. */
    synchronized void end(long ticket) {
        writing.remove(ticket);
    }

    /** A ticket such that every write up to it has finished. */
    synchronized long settled() {
        return writing.isEmpty() ? started : writing.first() - 1;
    }

    /**
     * The documents written after {@code before} (the mark of the previous reader), or nothing when
     * there are more than {@link #MAX_CHANGES}; then forgets the writes up to {@code now} (the mark of
     * the new reader), which every later reader holds.
     */
    synchronized Optional<Set<String>> since(long before, long now) {
        SortedMap<Long, String> after = keys.tailMap(before, false);
        Optional<Set<String>> changed = after.size() > MAX_CHANGES ? Optional.empty()
                : Optional.of(Set.copyOf(after.values()));
        keys.headMap(now, true).clear();
        return changed;
    }
}

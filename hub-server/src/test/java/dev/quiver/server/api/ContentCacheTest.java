package dev.quiver.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentCacheTest {
    @Test
    void theLeastRecentlyUsedEntriesGoFirstOnceTheWeightIsExceeded() {
        ContentCache<String, byte[]> cache = new ContentCache<>(10, b -> b.length);
        cache.put("a", new byte[4]);
        cache.put("b", new byte[4]);
        assertThat(cache.get("a")).isPresent(); // a is now more recent than b
        cache.put("c", new byte[4]);
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
    }

    @Test
    void aValueHeavierThanTheWholeCacheIsNotKeptAndEvictsNothing() {
        ContentCache<String, byte[]> cache = new ContentCache<>(10, b -> b.length);
        cache.put("a", new byte[5]);
        cache.put("huge", new byte[11]);
        assertThat(cache.get("huge")).isEmpty();
        assertThat(cache.get("a")).isPresent();
    }

    @Test
    void replacingAKeyReplacesItsWeight() {
        ContentCache<String, byte[]> cache = new ContentCache<>(10, b -> b.length);
        cache.put("a", new byte[8]);
        cache.put("a", new byte[2]);
        cache.put("b", new byte[8]);
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("b")).isPresent();
    }
}

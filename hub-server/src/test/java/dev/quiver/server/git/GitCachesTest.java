package dev.quiver.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.junit.jupiter.api.Test;

class GitCachesTest {
    private static final long MIB = 1L << 20;

    @Test
    void theCachesGrowWithTheHeapWithinBounds() {
        WindowCacheConfig small = GitCaches.forHeap(64 * MIB);
        assertThat(small.getPackedGitLimit()).isEqualTo(32 * MIB);
        assertThat(small.getDeltaBaseCacheLimit()).isEqualTo(16 * MIB);

        WindowCacheConfig medium = GitCaches.forHeap(4096 * MIB);
        assertThat(medium.getPackedGitLimit()).isEqualTo(1024 * MIB);
        assertThat(medium.getDeltaBaseCacheLimit()).isEqualTo(256 * MIB);
        assertThat(medium.getPackedGitWindowSize()).isEqualTo(64 * 1024);
        assertThat(medium.isPackedGitUseStrongRefs()).isTrue();

        assertThat(GitCaches.forHeap(64L * 1024 * MIB).getPackedGitLimit()).isEqualTo(2048 * MIB);
    }

    @Test
    void theServerSettingsAreFarAboveJGitsDesktopDefaults() {
        WindowCacheConfig defaults = new WindowCacheConfig();
        WindowCacheConfig server = GitCaches.forHeap(Runtime.getRuntime().maxMemory());
        assertThat(server.getPackedGitLimit()).isGreaterThan(defaults.getPackedGitLimit());
        assertThat(server.getDeltaBaseCacheLimit()).isGreaterThan(defaults.getDeltaBaseCacheLimit());
        assertThat(server.getPackedGitWindowSize()).isGreaterThan(defaults.getPackedGitWindowSize());
    }
}

package dev.quiver.server.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search benchmark's load from outside the hub's JVM: {@code wrk} with {@code
 * hub-server/bench/search-mix.lua}, cycling through a request list drawn from {@link BenchQueries}
 * (a quarter of the requests with the user's token, as the in-JVM clients send them). Closed loop:
 * each connection sends its next request when the previous answer arrived.
 */
final class WrkLoad {
    static final Path WRK = Path.of("/usr/bin/wrk");
    private static final Path SCRIPT = Path.of("hub-server/bench/search-mix.lua");
    private static final int REQUESTS_IN_LIST = 20_000;
    private static final Pattern SUMMARY = Pattern.compile("quiver-wrk requests=(\\d+) duration_us=(\\d+) "
            + "p50_us=(\\d+) p90_us=(\\d+) p99_us=(\\d+) max_us=(\\d+) non2xx=(\\d+) socket_errors=(\\d+)");
    private static final Pattern TIME = Pattern.compile("wrk-cpu user=([0-9.]+) system=([0-9.]+)");

    private final String url;
    private final String token;
    private final Path requests;

    /** Writes the request list into {@code dir}; requests go to {@code url} with {@code token} where drawn so. */
    WrkLoad(String url, String token, Path dir, int seed) {
        this.url = url;
        this.token = token;
        this.requests = dir.resolve("search-requests.tsv");
        BenchQueries queries = new BenchQueries();
        SplittableRandom r = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(REQUESTS_IN_LIST);
        for (int i = 0; i < REQUESTS_IN_LIST; i++) {
            String path = queries.next(r).path();
            lines.add((r.nextInt(4) == 0 ? "1" : "0") + "\t" + path);
        }
        try {
            Files.write(requests, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean available() {
        return Files.isExecutable(WRK) && Files.isReadable(SCRIPT);
    }

    /** What one run measured; latencies in microseconds, CPU in seconds. */
    record Result(long requests, double seconds, long p50, long p90, long p99, long max, long non2xx,
            long socketErrors, double wrkCpuSeconds) {
        double throughput() {
            return requests / seconds;
        }
    }

    /** Runs wrk with {@code connections} connections on one thread for {@code seconds}. */
    Result run(int connections, int seconds) throws IOException, InterruptedException {
        List<String> command = List.of("/usr/bin/time", "-f", "wrk-cpu user=%U system=%S", WRK.toString(), "-t1",
                "-c" + connections, "-d" + seconds + "s", "--latency", "-s", SCRIPT.toString(), url, "--",
                requests.toString(), token);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        Matcher m = SUMMARY.matcher(out);
        Matcher t = TIME.matcher(out);
        if (exit != 0 || !m.find() || !t.find()) {
            throw new IllegalStateException("wrk failed (exit " + exit + "):\n" + out);
        }
        return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                Double.parseDouble(t.group(1)) + Double.parseDouble(t.group(2)));
    }
}

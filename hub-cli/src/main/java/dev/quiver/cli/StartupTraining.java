package dev.quiver.cli;

import dev.quiver.client.Hashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The run the launcher makes once after a build to write the CLI's start-up archive (an AOT cache,
 * or a class-data archive before JDK 25): it builds every command's model and help, runs three
 * commands against canned replies and loads every class of the CLI's own jar (its commands and
 * picocli), so that the archive serves whichever command comes. (An archive written at the exit of
 * whatever command ran first held only that command's classes: after a first {@code --version},
 * {@code whoami} started no faster than with no archive at all, 0.75 s.) With {@code --libraries}
 * it loads every class of the libraries too, for a class-data archive, which maps its classes as
 * they are asked for. An AOT cache loads all of its classes at every start instead, so it gets the
 * library classes the commands used and no others: the other 1,900 cost each command about 14 ms
 * (a cached download, median of 40: 203 -> 188 ms).
 */
public final class StartupTraining {
    // the canned replies of the training's commands: whoami's account, a small file, and a snapshot
    // of many small files, each fetched and linked (an AOT cache learns the per-file path from it)
    private static final String WHOAMI = "{\"name\":\"training\",\"fullname\":\"Training\",\"orgs\":[],"
            + "\"auth\":{\"accessToken\":{\"displayName\":\"training\",\"role\":\"read\"}}}";
    private static final String COMMIT = "1".repeat(40);
    /** Stands for an LFS file (named by its sha256, as large files are); the others for git blobs. */
    private static final String LFS_FILE = "file.txt";
    private static final int SNAPSHOT_FILES = 200;
    private static final Map<String, byte[]> FILES = files();

    private StartupTraining() {
    }

    public static void main(String[] args) {
        boolean libraries = List.of(args).contains("--libraries");
        System.out.println("loaded " + train(Path.of(System.getProperty("java.class.path")), libraries) + " classes");
    }

    /**
     * Builds every command with its help, runs three commands as a user would (see {@link #exercise})
     * and loads the classes of {@code jar}, and of its libraries if asked; returns how many classes it loaded.
     */
    static int train(Path jar, boolean libraries) {
        CommandLine all = Main.commandLine(new CliEnvironment(Map.of(), Path.of(System.getProperty("java.io.tmpdir")),
                InputStream.nullInputStream(), false));
        PrintWriter discard = new PrintWriter(new StringWriter());
        all.getSubcommands().values().forEach(c -> c.usage(discard));
        exercise();
        int loaded = 0;
        for (Path j : libraries ? jars(jar) : Set.of(jar)) {
            loaded += loadClasses(j, StartupTraining.class.getClassLoader());
        }
        return loaded;
    }

    /**
     * Runs {@code whoami}, the download of a small file and a snapshot against canned replies on
     * loopback, so that the archive also holds what running a command creates: the JDK classes of
     * the HTTP path, the lambdas and string concatenations the JDK spins on first use (about 35 ms
     * of every command's start), and, in an AOT cache, which methods the commands run hot. No hub
     * is needed. Returns the commands' exit codes.
     */
    static List<Integer> exercise() {
        Path home = null;
        List<Socket> connections = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            home = Files.createTempDirectory("quiver-training");
            Thread.ofVirtual().start(() -> accept(server, connections));
            Map<String, String> variables = Map.of("QUIVER_ENDPOINT", "http://127.0.0.1:" + server.getLocalPort(),
                    "QUIVER_TOKEN", "hf_training", "HF_HUB_CACHE", home.resolve("cache").toString());
            CliEnvironment environment = new CliEnvironment(variables, home, InputStream.nullInputStream(), false);
            List<Integer> exits = new ArrayList<>();
            for (String[] args : List.of(new String[] {"whoami"}, new String[] {"download", "training/model", LFS_FILE, "-q"},
                    new String[] {"download", "training/model", "-q"})) {
                CommandLine command = Main.commandLine(environment, args);
                command.setOut(new PrintWriter(new StringWriter()));
                command.setErr(new PrintWriter(new StringWriter()));
                exits.add(command.execute(args));
            }
            return exits;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the training's commands", e);
        } finally {
            connections.forEach(StartupTraining::close); // the commands' kept-alive connections
            deleteTree(home);
        }
    }

    /** Accepts connections until the server closes, each answered on a thread of its own. */
    private static void accept(ServerSocket server, List<Socket> connections) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread.ofVirtual().start(() -> reply(s));
            } catch (IOException e) {
                return; // the training is over
            }
        }
    }

    /** Answers each request on a connection with its canned reply (HEAD: the reply's head). */
    private static void reply(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            for (String request = in.readLine(); request != null; request = in.readLine()) {
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    // nothing in the request's headers changes the canned reply
                }
                String target = request.split(" ")[1];
                String headers = "";
                byte[] body;
                if (target.startsWith("/api/whoami-v2")) {
                    body = WHOAMI.getBytes(StandardCharsets.UTF_8);
                } else if (target.startsWith("/api/models/training/model/revision/")) {
                    body = ("{\"id\":\"training/model\",\"sha\":\"" + COMMIT + "\"}").getBytes(StandardCharsets.UTF_8);
                } else if (target.startsWith("/api/models/training/model/tree/")) {
                    body = tree().getBytes(StandardCharsets.UTF_8);
                } else {
                    String path = target.substring(target.indexOf("/resolve/") + "/resolve/".length()).replaceFirst("^[^/]*/", "");
                    body = FILES.getOrDefault(path, new byte[0]);
                    headers = "X-Repo-Commit: " + COMMIT + "\r\nETag: \"" + etag(path, body) + "\"\r\n";
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n" + headers + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                if (!request.startsWith("HEAD")) {
                    out.write(body);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    private static String etag(String path, byte[] content) {
        if (path.equals(LFS_FILE)) {
            MessageDigest digest = Hashing.sha256();
            digest.update(content);
            return Hashing.hex(digest);
        }
        return Hashing.gitBlobSha1(content);
    }

    /** The LFS file and the snapshot's files, each of its own content. */
    private static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(LFS_FILE, "training\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < SNAPSHOT_FILES; i++) {
            files.put("part-" + i % 10 + "/file-" + i + ".txt", ("training " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    /** The recursive listing of the canned repository, as the hub's tree endpoint gives it. */
    private static String tree() {
        StringJoiner entries = new StringJoiner(",", "[", "]");
        FILES.forEach((path, content) -> {
            String lfs = path.equals(LFS_FILE)
                    ? ",\"lfs\":{\"oid\":\"" + etag(path, content) + "\",\"size\":" + content.length + "}" : "";
            entries.add("{\"type\":\"file\",\"path\":\"" + path + "\",\"oid\":\"" + Hashing.gitBlobSha1(content)
                    + "\",\"size\":" + content.length + lfs + "}");
        });
        return entries.toString();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is left to do with it
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is no reason to fail the training
        }
    }

    /** The jar and the jars its manifest's {@code Class-Path} names (the CLI's libraries), those that exist. */
    static Set<Path> jars(Path jar) {
        Set<Path> jars = new LinkedHashSet<>(List.of(jar));
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path lib = jar.toAbsolutePath().resolveSibling(entry).normalize();
                    if (Files.isRegularFile(lib)) {
                        jars.add(lib);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        return jars;
    }

    /**
     * Loads (without initialising) every class in the jar; returns how many loaded. Classes that need
     * something absent (optional dependencies of a library) are skipped: no command uses them.
     */
    static int loadClasses(Path jar, ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : file.stream().toList()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                    names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // an optional dependency's class: nothing the CLI runs
            }
        }
        return loaded;
    }
}

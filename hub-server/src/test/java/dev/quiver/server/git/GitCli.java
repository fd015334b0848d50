package dev.quiver.server.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} (and {@code git-lfs}) as a user runs them, isolated from the machine: a
 * throwaway HOME and global config, no system config, no terminal prompts, and, when given a token,
 * a credential helper that answers with it (so git and git-lfs both send it after a 401). Tests of
 * other packages that push through git use it too.
 */
public final class GitCli {
    /** What a finished git command said. */
    public record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("git failed (" + exit + "):\n" + out + err);
            }
            return this;
        }
    }

    private final Path home;

    private GitCli(Path home) {
        this.home = home;
    }

    /** A user with no credentials. */
    static GitCli anonymous(Path home) {
        return create(home, Optional.empty());
    }

    /** A user whose credential helper answers with {@code token}. */
    public static GitCli withToken(Path home, String token) {
        return create(home, Optional.of(token));
    }

    private static GitCli create(Path home, Optional<String> token) {
        try {
            Files.createDirectories(home);
            StringBuilder config = new StringBuilder("""
                    [user]
                    \tname = Test User
                    \temail = test@example.com
                    [init]
                    \tdefaultBranch = main
                    [advice]
                    \tdetachedHead = false
                    [filter "lfs"]
                    \tclean = git-lfs clean -- %f
                    \tsmudge = git-lfs smudge -- %f
                    \tprocess = git-lfs filter-process
                    \trequired = true
                    """);
            if (token.isPresent()) {
                config.append("[credential]\n\thelper = \"!f() { test \\\"$1\\\" = get && echo username=user && echo password=")
                        .append(token.get()).append("; }; f\"\n");
            }
            Files.writeString(home.resolve(".gitconfig"), config.toString());
            return new GitCli(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(Path dir, String... args) {
        return start(dir, List.of(), args).await();
    }

    /** Runs git with extra {@code NAME=value} environment variables (tracing). */
    Result run(Path dir, List<String> extraEnv, String... args) {
        return start(dir, extraEnv, args).await();
    }

    /** Starts git without waiting, for tests that interrupt it. */
    Running start(Path dir, String... args) {
        return start(dir, List.of(), args);
    }

    private Running start(Path dir, List<String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GIT_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_GLOBAL", home.resolve(".gitconfig").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("SSH_ASKPASS", "/bin/false");
        for (String kv : extraEnv) {
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A git command in progress. */
    record Running(Process process, Path out, Path err) {
        Result await() {
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    kill();
                    throw new AssertionError("git did not finish in 5 minutes");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Kills git and every process it started (remote helper, pack-objects), as a crash would. */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}

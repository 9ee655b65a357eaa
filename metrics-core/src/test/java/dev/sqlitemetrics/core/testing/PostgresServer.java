package dev.sqlitemetrics.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} into a fresh folder, started with
 * {@code pg_ctl} on a free loopback port with a socket folder of its own, as the {@code postgres}
 * user (PostgreSQL refuses to run as root), and removed when closed. Tests that need it fail,
 * with the reason, where the server binaries or the {@code postgres} user are missing.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path root;
    private final Path data;
    private final int port;
    private final String settings;

    private PostgresServer(Path root, int port, String settings) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.settings = settings;
    }

    /** Starts a new cluster, or fails the calling test with the reason it cannot. */
    public static PostgresServer start() throws IOException, InterruptedException {
        return start("");
    }

    /**
     * Starts a new cluster with server settings such as {@code "-c max_connections=8"}, or fails the
     * calling test with the reason it cannot.
     */
    public static PostgresServer start(String settings) throws IOException, InterruptedException {
        Assertions.assertTrue(Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl")),
                "PostgreSQL 15 server binaries are not installed in " + BIN + " (scripts/test-all installs Debian's postgresql)");
        Assertions.assertTrue(run(List.of("id", "postgres")).exit == 0,
                "there is no postgres system user to run the server as (scripts/test-all installs Debian's postgresql)");
        Path root = Files.createTempDirectory(Path.of("/tmp"), "sqlite-metrics-pg");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result chown = run(List.of("chown", "postgres:postgres", root.toString()));
        Assertions.assertTrue(chown.exit == 0, "cannot hand a folder to the postgres user (needs root): " + chown.output);
        PostgresServer server = new PostgresServer(root, freePort(), settings);
        server.initAndStart();
        return server;
    }

    private void initAndStart() throws IOException, InterruptedException {
        Result init = asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "--no-sync", "-E", "UTF8", "--locale=C");
        if (init.exit != 0) {
            throw new IllegalStateException("initdb failed: " + init.output);
        }
        restart();
        Result created = psql("postgres", "CREATE DATABASE metrics");
        if (created.exit != 0) {
            throw new IllegalStateException("CREATE DATABASE failed: " + created.output);
        }
    }

    /** Starts the stopped server (again) on the same port and data. */
    public void restart() throws IOException, InterruptedException {
        Result started = asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                root.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 " + settings, "start");
        if (started.exit != 0) {
            throw new IllegalStateException("pg_ctl start failed: " + started.output + "\n" + log());
        }
    }

    /** Stops the server at once, as a crash would ({@code -m immediate}). */
    public void stopImmediately() throws IOException, InterruptedException {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    /**
     * Stops every process of the server with SIGSTOP (the postmaster and its children), as a host that
     * froze: connections stay open and nothing answers. {@link #thaw()} resumes them.
     */
    public void freeze() throws IOException, InterruptedException {
        signalAll("-STOP");
    }

    /** Resumes what {@link #freeze()} stopped. */
    public void thaw() throws IOException, InterruptedException {
        signalAll("-CONT");
    }

    private void signalAll(String signal) throws IOException, InterruptedException {
        String postmaster = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
        Result children = run(List.of("pgrep", "-P", postmaster));
        List<String> pids = new ArrayList<>(List.of(postmaster));
        if (children.exit == 0) {
            pids.addAll(List.of(children.output.split("\\s+")));
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        command.addAll(pids);
        Result killed = run(command);
        if (killed.exit != 0) {
            throw new IllegalStateException("kill " + signal + " " + pids + " failed: " + killed.output);
        }
    }

    /** Sets a server setting ({@code ALTER SYSTEM}) and reloads the configuration; {@code null} resets it. */
    public void configure(String setting, String value) throws IOException, InterruptedException {
        String sql = value == null ? "ALTER SYSTEM RESET " + setting : "ALTER SYSTEM SET " + setting + " = '" + value + "'";
        for (String statement : List.of(sql, "SELECT pg_reload_conf()")) {
            Result result = psql("postgres", statement);
            if (result.exit != 0) {
                throw new IllegalStateException(statement + " failed: " + result.output);
            }
        }
    }

    /** A shell command that restarts this server at once ({@code -m immediate}), as its owner. */
    public String restartCommand() {
        return "setpriv --reuid=postgres --regid=postgres --init-groups " + BIN.resolve("pg_ctl") + " -D " + data
                + " -l " + root.resolve("server.log") + " -m immediate -w -t 60 -o '-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 " + settings
                + "' restart";
    }

    /** The JDBC URL of the {@code metrics} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/metrics";
    }

    /** The server's port. */
    public int port() {
        return port;
    }

    /** Runs {@code sql} through {@code psql} as {@code postgres} on {@code database}. */
    public Result psql(String database, String sql) throws IOException, InterruptedException {
        return run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", database,
                "-v", "ON_ERROR_STOP=1", "-At", "-c", sql));
    }

    /** The server's log, for a failure message. */
    public String log() throws IOException {
        Path log = root.resolve("server.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no server log)";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopImmediately();
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** A command's exit code and its merged output. */
    public record Result(int exit, String output) {
    }

    public static Result asPostgres(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        full.addAll(List.of(command));
        return run(full);
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output.trim());
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * One server for a whole test class: {@code @RegisterExtension static final PostgresServer.PerClass
     * CLUSTER = new PostgresServer.PerClass();}, then {@code CLUSTER.server()} in the tests.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private PostgresServer server;

        /** The class's server. */
        public PostgresServer server() {
            return server;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            server = start();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }
}

package dev.sqlitemetrics.core.testing;

import dev.sqlitemetrics.core.testing.PostgresServer.Result;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL primary with a streaming standby, for failover tests: two nodes on two
 * loopback ports that swap roles at each {@link #failover()}. The primary is stopped at once
 * ({@code -m immediate}), the standby promoted, and a new standby built from the new primary with
 * {@code pg_basebackup} where the old one was, so the next round has a standby again. Clients reach
 * whichever is primary through {@link #jdbcUrl()} ({@code targetServerType=primary} over both hosts).
 *
 * <p>With a synchronous standby a COMMIT returns only once the standby has its WAL; with an
 * asynchronous one it does not wait. Before each failover the standby's WAL receiver is stopped for
 * {@link #LAG_MILLIS} and then killed with the primary, so that what was still on its way is lost as
 * on a slow network: an asynchronous pair then loses what the primary acknowledged meanwhile, a
 * synchronous one holds those COMMITs instead (their callers hear UNKNOWN).
 *
 * <p>The state (which node is primary) is kept in a file under the root folder, so that a process
 * of its own can fail the pair over: {@code java -cp <test classpath> dev.sqlitemetrics.core.testing.ReplicatedPostgres
 * failover <root>}, the command a campaign of the command line runs.
 */
public final class ReplicatedPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    /** How long the standby's WAL receiver is stopped before each failover. */
    public static final long LAG_MILLIS = 300;

    private final Path root;
    private final Properties state = new Properties();

    private ReplicatedPostgres(Path root) {
        this.root = root;
    }

    /** A primary on one port and a streaming standby on another; fails where PostgreSQL is missing. */
    public static ReplicatedPostgres start(boolean synchronous) throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("pg_basebackup"))) {
            throw new IllegalStateException("PostgreSQL 15 server binaries are not installed in " + BIN
                    + " (scripts/test-all installs Debian's postgresql)");
        }
        Path root = Files.createTempDirectory(Path.of("/tmp"), "sqlite-metrics-pg-pair");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        check(run(List.of("chown", "postgres:postgres", root.toString())), "chown");
        ReplicatedPostgres pair = new ReplicatedPostgres(root);
        pair.state.setProperty("primary", "a");
        pair.state.setProperty("port.a", String.valueOf(freePort()));
        pair.state.setProperty("port.b", String.valueOf(freePort()));
        pair.state.setProperty("synchronous", String.valueOf(synchronous));
        pair.save();
        check(asPostgres(BIN.resolve("initdb").toString(), "-D", pair.data("a").toString(), "-A", "trust", "-U",
                "postgres", "--no-sync", "-E", "UTF8", "--locale=C"), "initdb");
        pair.startNode("a");
        check(pair.psql("a", "CREATE DATABASE metrics"), "CREATE DATABASE");
        pair.buildStandby("b");
        return pair;
    }

    /** Both nodes; the driver connects to whichever is primary. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port("a") + ",127.0.0.1:" + port("b")
                + "/metrics?targetServerType=primary&hostRecheckSeconds=1";
    }

    /** The root folder, for a process that fails the pair over through {@link #main}. */
    public Path root() {
        return root;
    }

    /**
     * The standby falls behind for {@link #LAG_MILLIS}, the primary is stopped at once, the standby is
     * promoted and a new standby is built where the primary was.
     */
    public void failover() throws IOException, InterruptedException {
        String old = state.getProperty("primary");
        String promoted = other(old);
        signalWalReceiver(promoted, "-STOP");
        try {
            String stoppedAt = psql(old, "SELECT pg_current_wal_flush_lsn()").output().strip();
            Thread.sleep(LAG_MILLIS);
            awaitWalPast(old, stoppedAt);
            check(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(old).toString(), "-m", "immediate", "-w", "stop"),
                    "stopping the primary");
        } finally {
            // Killed, not resumed: what the primary sent meanwhile sits unread in the receiver's socket and
            // is gone with it, as WAL still in the network when the primary died would be.
            signalWalReceiver(promoted, "-KILL");
        }
        awaitRecovering(promoted);
        check(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(promoted).toString(), "-w", "-t", "60", "promote"),
                "promoting the standby");
        // Until its new standby is up, the new primary must not wait for one.
        check(psql(promoted, "ALTER SYSTEM RESET synchronous_standby_names"), "resetting the standby names");
        check(psql(promoted, "SELECT pg_reload_conf()"), "reloading");
        state.setProperty("primary", promoted);
        save();
        deleteTree(data(old));
        buildStandby(old);
    }

    /**
     * Waits (at most 3 s) until the primary has flushed WAL the stalled standby cannot have: a failover
     * struck as the writers finish would otherwise have nothing in flight to lose.
     */
    private void awaitWalPast(String primary, String lsn) throws IOException, InterruptedException {
        if (!lsn.matches("[0-9A-F]+/[0-9A-F]+")) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline
                && !psql(primary, "SELECT pg_current_wal_flush_lsn() > '" + lsn + "'::pg_lsn").output().strip().equals("t")) {
            Thread.sleep(20);
        }
    }

    /** Waits until standby {@code name} answers again (its postmaster restarts it after the receiver's death). */
    private void awaitRecovering(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Result recovering = psql(name, "SELECT pg_is_in_recovery()");
            if (recovering.exit() == 0 && recovering.output().strip().equals("t")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("standby node_" + name + " did not come back: " + recovering.output());
            }
            Thread.sleep(50);
        }
    }

    /** Builds node {@code name} as a streaming standby of the primary, waits until it streams (in sync when synchronous). */
    private void buildStandby(String name) throws IOException, InterruptedException {
        String primary = state.getProperty("primary");
        check(asPostgres(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", port(primary), "-U", "postgres",
                "-D", data(name).toString(), "-R", "-X", "stream", "--no-sync", "-c", "fast",
                "-d", "application_name=node_" + name), "pg_basebackup");
        startNode(name);
        boolean synchronous = Boolean.parseBoolean(state.getProperty("synchronous"));
        if (synchronous) {
            check(psql(primary, "ALTER SYSTEM SET synchronous_standby_names = 'node_" + name + "'"), "naming the standby");
            check(psql(primary, "SELECT pg_reload_conf()"), "reloading");
        }
        String wanted = synchronous ? "sync" : "async";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Result streaming = psql(primary, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'node_"
                    + name + "' AND state = 'streaming'");
            if (streaming.exit() == 0 && streaming.output().strip().equals(wanted)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("standby node_" + name + " is not streaming (" + wanted + "): "
                        + streaming.output());
            }
            Thread.sleep(50);
        }
    }

    private void startNode(String name) throws IOException, InterruptedException {
        check(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(name).toString(), "-l",
                root.resolve("node-" + name + ".log").toString(), "-w", "-t", "60", "-o",
                "-p " + port(name) + " -k " + root + " -c listen_addresses=127.0.0.1 -c wal_level=replica"
                        + " -c max_wal_senders=5 -c hot_standby=on -c wal_keep_size=256MB", "start"), "starting node " + name);
    }

    /** Stops or resumes the WAL receiver of standby {@code name}, as a network that stalls would. */
    private void signalWalReceiver(String name, String signal) throws IOException, InterruptedException {
        String postmaster = Files.readAllLines(data(name).resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
        Result receiver = run(List.of("pgrep", "-P", postmaster, "-f", "walreceiver"));
        if (receiver.exit() == 0) {
            List<String> command = new ArrayList<>(List.of("kill", signal));
            command.addAll(List.of(receiver.output().strip().split("\\s+")));
            run(command);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String name : List.of("a", "b")) {
            if (Files.exists(data(name).resolve("postmaster.pid"))) {
                asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data(name).toString(), "-m", "immediate", "-w", "stop");
            }
        }
        deleteTree(root);
    }

    /** {@code failover <root>}: fails over the pair whose state is kept under {@code root}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("failover")) {
            System.err.println("usage: ReplicatedPostgres failover <root>");
            System.exit(2);
        }
        ReplicatedPostgres pair = new ReplicatedPostgres(Path.of(args[1]));
        try (Reader in = Files.newBufferedReader(pair.root.resolve("state.properties"), StandardCharsets.UTF_8)) {
            pair.state.load(in);
        }
        pair.failover();
    }

    private void save() throws IOException {
        try (Writer out = Files.newBufferedWriter(root.resolve("state.properties"), StandardCharsets.UTF_8)) {
            state.store(out, "which node is primary");
        }
    }

    private Path data(String name) {
        return root.resolve("data-" + name);
    }

    private String port(String name) {
        return state.getProperty("port." + name);
    }

    private static String other(String name) {
        return name.equals("a") ? "b" : "a";
    }

    private Result psql(String node, String sql) throws IOException, InterruptedException {
        return run(List.of("psql", "-h", "127.0.0.1", "-p", port(node), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-At", "-c", sql));
    }

    private static void check(Result result, String what) {
        if (result.exit() != 0) {
            throw new IllegalStateException(what + " failed: " + result.output());
        }
    }

    private static Result asPostgres(String... command) throws IOException, InterruptedException {
        return PostgresServer.asPostgres(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        return PostgresServer.run(command);
    }

    private static int freePort() throws IOException {
        return PostgresServer.freePort();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.ForwardingLag;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.testing.PostgresServer;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.ledger.Fault;
import dev.sqlitemetrics.testkit.internal.ledger.Ledger;
import dev.sqlitemetrics.testkit.internal.ledger.LedgerCheck;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 43 (docs/reliability.md), in a campaign with the ledger: writer JVMs record into a SQLite file
 * while a forwarder JVM ships it to PostgreSQL, and each round strikes one fault at a random moment:
 * the forwarder killed -9 (and started again), the server restarted {@code -m immediate}, the server
 * stopped for longer than the retry deadline, or writers killed -9; a second forwarder of the same
 * file to a second server (killed -9 too), which must receive every row as well; and the forwarder
 * restarted with another spelling of the same server's URL, which must go on from the same mark
 * rather than ship the file again (reliability scenario 45). After each round, once every forwarder
 * has caught up: every acknowledged record on each server exactly once, no duplicate, nothing never
 * recorded, every store's integrity ok. {@code -Dsqlitemetrics.forwardRounds=N} runs longer.
 */
class ForwarderCampaignIT {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();

    private enum Strike { KILL_FORWARDER, RESTART_SERVER, STOP_SERVER_PAST_DEADLINE, KILL_WRITERS, SECOND_SERVER,
        SECOND_SPELLING }

    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void everyAcknowledgedRecordReachesTheServerExactlyOnceWhateverFails() throws Exception {
        long seed = Long.getLong("sqlitemetrics.forwardSeed", System.nanoTime());
        int rounds = Integer.getInteger("sqlitemetrics.forwardRounds", Strike.values().length);
        Random random = new Random(seed);
        PostgresServer server = CLUSTER.server();
        SqliteConfig local = SqliteConfig.defaults(dir.resolve("outbox.db"));
        PostgresConfig central = PostgresConfig.builder(server.jdbcUrl()).user("postgres").tableName("collected")
                .retry(Retry.defaults().withDeadline(RETRY_DEADLINE)).build();
        MetricsRecorder.open(local).close();
        MetricsRecorder.open(central).close();
        Ledger ledger = new Ledger();
        List<String> violations = new ArrayList<>();
        List<PostgresConfig> centrals = new ArrayList<>(List.of(central));
        int forwarderKills = 0;
        int writerKills = 0;
        String url = server.jdbcUrl();
        ChildJvm forwarder = startForwarder(local, url);
        PostgresServer second = null;
        ChildJvm secondForwarder = null;
        try {
            for (int round = 1; round <= rounds; round++) {
                Strike strike = Strike.values()[(round - 1) % Strike.values().length];
                List<ChildJvm> writers = startWriters(local, 3);
                writers.forEach(ForwarderCampaignIT::release);
                Thread.sleep(100 + random.nextInt(700));
                List<ChildJvm> victims = new ArrayList<>();
                switch (strike) {
                    case KILL_FORWARDER -> {
                        // Twice, at random moments of its shipping.
                        for (int kill = 0; kill < 2; kill++) {
                            forwarder.kill();
                            forwarderKills++;
                            forwarder = startForwarder(local, url);
                            Thread.sleep(100 + random.nextInt(400));
                        }
                    }
                    case RESTART_SERVER -> {
                        server.stopImmediately();
                        server.restart();
                    }
                    case STOP_SERVER_PAST_DEADLINE -> {
                        server.stopImmediately();
                        Thread.sleep(RETRY_DEADLINE.toMillis() + 1500);
                        assertThat(forwarder.isAlive()).as("the forwarder waits out the outage").isTrue();
                        server.restart();
                    }
                    case KILL_WRITERS -> {
                        List<ChildJvm> shuffled = new ArrayList<>(writers);
                        Collections.shuffle(shuffled, random);
                        victims = shuffled.subList(0, 1 + random.nextInt(writers.size() - 1));
                        for (ChildJvm victim : victims) {
                            writerKills += Fault.writing(victim) ? 1 : 0;
                            victim.kill();
                        }
                    }
                    case SECOND_SERVER -> {
                        if (second == null) {
                            second = PostgresServer.start();
                            PostgresConfig other = PostgresConfig.builder(second.jdbcUrl()).user("postgres")
                                    .tableName("collected").retry(Retry.defaults().withDeadline(RETRY_DEADLINE)).build();
                            MetricsRecorder.open(other).close();
                            centrals.add(other);
                        }
                        secondForwarder = secondForwarder == null ? startForwarder(local, second.jdbcUrl()) : secondForwarder;
                        Thread.sleep(100 + random.nextInt(400));
                        secondForwarder.kill();
                        forwarderKills++;
                        secondForwarder = startForwarder(local, second.jdbcUrl());
                    }
                    case SECOND_SPELLING -> {
                        forwarder.send("STOP");
                        assertThat(forwarder.await(TimeUnit.SECONDS.toNanos(60))).as(forwarder.tail()).isTrue();
                        url = url.contains("127.0.0.1") ? url.replace("127.0.0.1", "localhost")
                                : url.replace("localhost", "127.0.0.1");
                        forwarder = startForwarder(local, url);
                    }
                }
                for (ChildJvm writer : writers) {
                    if (!victims.contains(writer)) {
                        assertThat(writer.await(TimeUnit.MINUTES.toNanos(3))).as("round %d: writer finishes", round).isTrue();
                        assertThat(writer.exitValue()).as("round %d: writer %s", round, writer.tail()).isZero();
                    }
                    ledger.addLines(writer.completeLines());
                }
                awaitCaughtUp(local, centrals.size(), List.of(forwarder, secondForwarder == null ? forwarder : secondForwarder),
                        round);
                if (strike == Strike.SECOND_SPELLING) {
                    assertThat(alreadyThere(forwarder)).as("round %d: the other spelling of the server's URL went on"
                            + " from the same mark, shipping nothing twice", round).isZero();
                }
                for (PostgresConfig store : centrals) {
                    check(store, ledger, round, strike, violations);
                }
                check(local, ledger, round, strike, violations);
            }
        } finally {
            forwarder.kill();
            if (secondForwarder != null) {
                secondForwarder.kill();
            }
            if (second != null) {
                second.close();
            }
        }
        LedgerCheck last = LedgerCheck.verify(central, ledger, TableSnapshot.empty(), RecorderFactory.DEFAULT, false);
        System.out.println("seed " + seed + ": " + rounds + " rounds, forwarders killed " + forwarderKills
                + " times, writers killed mid-write " + writerKills + "; server: " + last.ok() + " acknowledged, "
                + last.present() + " present, lost " + last.lost() + ", duplicated " + last.duplicated()
                + "; servers checked: " + centrals.size());
        assertThat(violations).as("seed %d", seed).isEmpty();
        assertThat(last.ok()).isPositive();
        assertThat(forwarderKills).isPositive();
    }

    private static void check(StoreConfig store, Ledger ledger, int round, Strike strike,
                              List<String> violations) throws Exception {
        LedgerCheck check = LedgerCheck.verify(store, ledger, TableSnapshot.empty(), RecorderFactory.DEFAULT, false);
        for (String violation : check.violations()) {
            violations.add("round " + round + " (" + strike + "), " + Target.of(store).table() + " on "
                    + store.database() + ": " + violation);
        }
    }

    /** Rows a forwarder JVM found already on the server, over every batch it shipped. */
    private static long alreadyThere(ChildJvm forwarder) {
        return forwarder.lines().stream().filter(line -> line.startsWith("SHIPPED "))
                .mapToLong(line -> Long.parseLong(line.split(" ")[2])).sum();
    }

    private ChildJvm startForwarder(SqliteConfig local, String jdbcUrl) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        ChildJvm child = ChildJvm.start(ForwarderChild.class.getName(),
                List.of(local.path().toString(), jdbcUrl, "collected"), ready);
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("forwarder ready: %s", child.tail()).isTrue();
        return child;
    }

    private static List<ChildJvm> startWriters(SqliteConfig local, int processes) throws Exception {
        Target target = Target.of(local);
        List<String> args = new ArrayList<>(List.of("--writer", "RECORDER", "--threads", "8", "--records-per-writer",
                "300", "--ledger"));
        args.addAll(target.childArgs());
        CountDownLatch ready = new CountDownLatch(processes);
        List<ChildJvm> writers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            writers.add(ChildJvm.start(List.of(), List.of(), target.childEnvironment(), WorkerCommand.class.getName(),
                    args, ready));
        }
        assertThat(ready.await(120, TimeUnit.SECONDS)).as("writers ready").isTrue();
        return writers;
    }

    private static void release(ChildJvm writer) {
        try {
            writer.go();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until the local file names {@code servers} servers, and its mark for each is past its last row. */
    private static void awaitCaughtUp(SqliteConfig local, int servers, List<ChildJvm> forwarders, int round)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (MetricsReader reader = MetricsReader.open(local)) {
            while (true) {
                List<ForwardingLag> lags = reader.forwarding();
                assertThat(lags.size()).as("round %d: one mark per server: %s", round, lags).isLessThanOrEqualTo(servers);
                if (lags.size() == servers && lags.stream().allMatch(ForwardingLag::caughtUp)) {
                    return;
                }
                for (ChildJvm forwarder : forwarders) {
                    assertThat(forwarder.isAlive()).as("round %d: the forwarder runs: %s", round, forwarder.tail()).isTrue();
                }
                assertThat(System.nanoTime()).as("round %d: caught up in time: %s", round, lags).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}

package dev.sqlitemetrics.testkit.internal.ledger;

import dev.sqlitemetrics.testkit.internal.run.ChildJvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a {@link FaultCampaign} does to each round once its writer JVMs are released: kill some of
 * them, restart the database server under all of them, or cut the power of the machine they run on
 * ({@code dev.sqlitemetrics.testkit.internal.powercut.PowerCut}).
 */
public interface Fault {

    /** What a strike did. */
    record Strike(List<ChildJvm> killed, int landedWhileWriting) {
        public Strike {
            killed = List.copyOf(killed);
        }
    }

    /** The fault's name, for reports ({@code kill}, {@code server-restart}). */
    String name();

    /** How long after the writers' release to strike: a random moment while they write. */
    default long strikeAfterMillis(Random random) {
        return 50 + random.nextInt(750);
    }

    /** Strikes the round's writers. */
    Strike strike(List<ChildJvm> writers, Random random) throws Exception;

    /**
     * Brings the system back once every writer has stopped, before the database is checked: nothing
     * for a killed writer or a restarted server; the machine powered on again after a power cut.
     */
    default void recover() throws Exception {
    }

    /** Whether a writer JVM is still writing: alive and not yet past its last answer. */
    static boolean writing(ChildJvm writer) {
        return writer.isAlive() && !writer.lines().contains("WRITTEN");
    }

    /** SIGKILL of a random non-empty subset of the writers, leaving at least one (a crash of a writer). */
    static Fault killWriters() {
        return new Fault() {
            @Override
            public String name() {
                return "kill";
            }

            @Override
            public Strike strike(List<ChildJvm> writers, Random random) throws InterruptedException {
                List<ChildJvm> victims = new ArrayList<>(writers);
                Collections.shuffle(victims, random);
                victims = victims.subList(0, 1 + random.nextInt(writers.size() - 1));
                int midWrite = 0;
                for (ChildJvm victim : victims) {
                    // A victim that had already finished proves nothing.
                    midWrite += writing(victim) ? 1 : 0;
                    victim.kill();
                }
                return new Strike(victims, midWrite);
            }
        };
    }

    /** How a campaign restarts a database server: {@code pg_ctl restart -m immediate}, or the like. */
    @FunctionalInterface
    interface Restart {
        void restart() throws Exception;
    }

    /**
     * A restart of the database server under every writer, as a crash and recovery of the server
     * would be (for PostgreSQL: {@code pg_ctl restart -m immediate}); the writers live on and must
     * ride it out within their retry deadline.
     */
    static Fault restartServer(Restart restart) {
        return serverAction("server-restart", restart);
    }

    /**
     * A failover of the database server under every writer: the primary stopped at once, its standby
     * promoted, a new standby brought up ({@code action} does all three); the writers live on, reach
     * the new primary through a URL that names both hosts, and must ride it out within their deadline.
     */
    static Fault failover(Restart action) {
        return serverAction("failover", action);
    }

    /** {@code action} done to the server under every writer, once they write. */
    private static Fault serverAction(String name, Restart action) {
        return new Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Strike strike(List<ChildJvm> writers, Random random) throws Exception {
                int midWrite = (int) writers.stream().filter(Fault::writing).count();
                action.restart();
                return new Strike(List.of(), midWrite > 0 ? 1 : 0);
            }
        };
    }
}

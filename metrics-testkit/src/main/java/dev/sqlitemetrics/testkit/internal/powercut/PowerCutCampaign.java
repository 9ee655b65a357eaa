package dev.sqlitemetrics.testkit.internal.powercut;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.RecorderFactory;
import dev.sqlitemetrics.testkit.internal.ledger.FaultCampaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Power-tests a SQLite recorder configuration: each round mounts the power-cut file system over a
 * fresh folder, runs writer JVMs recording through it with their ledgers, cuts the power at a
 * random moment (the writers die in the same instant), mounts the folder again and checks what
 * survived against every writer's ledger (I1-I7, I9). Whatever the configuration's
 * {@code synchronous} and {@code journal_mode}, an acknowledged record must be there: with
 * {@code FULL} it is; with {@code NORMAL} in WAL mode or {@code OFF} the campaign shows which were lost.
 */
public final class PowerCutCampaign {
    private final SqliteConfig config;
    private final Path workDir;
    private final int processes;
    private final int threads;
    private final int records;
    private final long seed;
    private final Consumer<String> progress;
    private final RecorderFactory recorders;

    /**
     * @param config    the configuration under test; its file name is used inside each round's mount
     * @param workDir   where each round's backing folder and mount point are made (a local disk)
     * @param processes writer JVMs per round, at least 2
     * @param threads   writer threads per JVM
     * @param records   calls per thread (the cut usually stops them early)
     * @param seed      seeds the moments of the cuts, so a campaign can be replayed
     */
    public PowerCutCampaign(SqliteConfig config, Path workDir, int processes, int threads, int records, long seed,
                            Consumer<String> progress, RecorderFactory recorders) {
        this.config = config;
        this.workDir = workDir;
        this.processes = processes;
        this.threads = threads;
        this.records = records;
        this.seed = seed;
        this.progress = progress;
        this.recorders = recorders;
    }

    /**
     * One round.
     *
     * @param cutWhileWriting whether some writer was still writing when the power went
     * @param acknowledged    calls acknowledged before the cut
     * @param lost            of those, records missing afterwards
     * @param duplicated      records present more than once
     * @param integrity       the storage check after the cut: {@code ok}, or what is wrong
     * @param violations      every invariant broken, in words
     * @param folder          the round's backing folder, kept when the round broke an invariant
     */
    public record Round(int round, boolean cutWhileWriting, long invoked, long acknowledged, long lost, long duplicated,
                        String integrity, List<String> violations, Path folder) {
        public Round {
            violations = List.copyOf(violations);
        }
    }

    /** Every round; passed when every invariant held in each. */
    public record Result(SqliteConfig config, List<Round> rounds) {
        public Result {
            rounds = List.copyOf(rounds);
        }

        public boolean passed() {
            return rounds.stream().allMatch(round -> round.violations().isEmpty());
        }

        /** Acknowledged records missing after a cut, over every round. */
        public long lost() {
            return rounds.stream().mapToLong(Round::lost).sum();
        }

        /** Rounds in which at least one acknowledged record was lost. */
        public long roundsWithLoss() {
            return rounds.stream().filter(round -> round.lost() > 0).count();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "power-cut campaign, journal_mode=%s, synchronous=%s%n%5s %7s %12s %6s %10s  %s%n",
                    config.journalMode(), config.synchronous(), "round", "invoked", "acknowledged", "lost", "duplicated", "integrity"));
            for (Round round : rounds) {
                text.append(String.format(Locale.ROOT, "%5d %7d %12d %6d %10d  %s%s%n", round.round(), round.invoked(),
                        round.acknowledged(), round.lost(), round.duplicated(), round.integrity(),
                        round.cutWhileWriting() ? "" : "  (every writer had finished: no cut mid-write)"));
            }
            if (passed()) {
                text.append("every acknowledged record survived every cut; every invariant held (lost 0, duplicated 0)\n");
            } else {
                text.append(String.format(Locale.ROOT, "ACKNOWLEDGED RECORDS LOST: %d in %d of %d rounds%n", lost(),
                        roundsWithLoss(), rounds.size()));
                for (Round round : rounds) {
                    round.violations().stream().limit(5).forEach(violation ->
                            text.append("  round ").append(round.round()).append(": ").append(violation).append('\n'));
                    if (round.violations().size() > 5) {
                        text.append("  round ").append(round.round()).append(": ... ")
                                .append(round.violations().size() - 5).append(" more\n");
                    }
                    if (!round.violations().isEmpty()) {
                        text.append("  round ").append(round.round()).append(": the files are kept in ")
                                .append(round.folder()).append('\n');
                    }
                }
            }
            return text.toString();
        }
    }

    /**
     * Runs {@code rounds} rounds.
     *
     * @throws IllegalStateException when the file system cannot be mounted here, saying why
     */
    public Result run(int rounds) throws IOException, InterruptedException, SQLException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        List<Round> done = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            progress.accept("power-cut round " + round + "/" + rounds);
            Path folder = workDir.resolve("power-cut-round-" + round);
            FaultCampaign.Result result;
            try (PowerCut cut = PowerCut.mount(folder.resolve("disk"), folder.resolve("mnt"))) {
                SqliteConfig inside = config.toBuilder().path(cut.path().resolve(config.path().getFileName())).build();
                result = new FaultCampaign(inside, processes, threads, records, seed * 31 + round, message -> { },
                        recorders, cut).run(1);
            }
            List<String> violations = result.violations().stream().map(text -> text.replaceFirst("^round 1: ", "")).toList();
            done.add(new Round(round, result.killed() > 0, result.invoked(), result.ok(), result.lost(),
                    result.duplicated(), result.integrity(), violations, folder.resolve("disk")));
            if (result.passed()) {
                deleteTree(folder);
            }
        }
        return new Result(config, done);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

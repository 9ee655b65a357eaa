package dev.sqlitemetrics.core.internal.sqlite.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ring of record slots in a memory-mapped file ({@code <database>.spool}) that the processes of
 * one host share, so that one of them (the leader, whoever holds the database's lock file) commits
 * the records of all of them in one transaction. Internal: not part of the API.
 *
 * <p>Each slot has one 64-bit stamp, changed only by compare-and-set: the position it holds, its
 * owner's number and a state. An owner claims a slot ({@code CLAIMED}), writes its record and
 * publishes it ({@code PUBLISHED}); a leader takes it ({@code TAKEN}) and, after its transaction,
 * marks it {@code COMMITTED}, {@code NOT_WRITTEN} (its transaction certainly wrote nothing) or
 * {@code FAILED} (it may have written the record); the owner reads the result and frees the slot. An
 * owner may withdraw a record nobody took yet ({@code ABANDONED}), and a leader gives up records
 * whose owner died. Nothing in the spool is ever trusted to be durable, and it never decides that a
 * record is written: only a leader's COMMIT does, and an owner that reads anything but
 * {@code COMMITTED} commits its record itself.
 *
 * <p>Owners are processes. Each registers under a free number, holds an exclusive lock on that
 * number's byte of the file for as long as it lives, and writes a fresh random token beside it; a
 * slot carries its owner's token. An owner whose byte can be locked is dead, and a token that no
 * longer matches belongs to an earlier holder of the number: their records are never committed by a
 * leader, so a spool left over from a crash or a power cut cannot bring back a record whose owner
 * was told it was not written.
 *
 * <p>One mapping per file and JVM: fcntl locks belong to the process, and closing any channel of the
 * file would drop them.
 */
public final class SharedSpool {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSpool.class);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final ConcurrentHashMap<Path, SharedSpool> OPEN = new ConcurrentHashMap<>();
    private static final SecureRandom TOKENS = new SecureRandom();

    /** "SQLMSPL2": the layout's magic number and version (2: records carry their process). */
    private static final long MAGIC = 0x53514C4D53504C32L;
    private static final int MAGIC_AT = 0;
    private static final int KEY_AT = 8;
    private static final int TAIL_AT = 16;
    private static final int SCAN_FROM_AT = 24;
    private static final int REGISTRY_AT = 1024;
    static final int OWNERS = 256;
    private static final int SLOTS_AT = 4096;
    static final int SLOTS = 4096;
    static final int SLOT_BYTES = 1024;
    private static final int TOKEN_OFFSET = 8;
    private static final int LENGTH_OFFSET = 16;
    private static final int PAYLOAD_OFFSET = 20;
    /** Largest encoded record a slot holds; larger ones are committed by their own process. */
    public static final int PAYLOAD_BYTES = SLOT_BYTES - PAYLOAD_OFFSET;
    private static final int FILE_BYTES = SLOTS_AT + SLOTS * SLOT_BYTES;
    /** Owner numbers' lock bytes, past the mapped part: nothing reads or writes them, only fcntl locks. */
    private static final long OWNER_LOCKS_AT = FILE_BYTES;
    /** A claim whose token is not the live owner's, seen for this long, is given up (the claimer died). */
    private static final long STALE_CLAIM_NANOS = 5_000_000_000L;

    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int PUBLISHED = 2;
    static final int TAKEN = 3;
    public static final int COMMITTED = 4;
    public static final int FAILED = 5;
    public static final int ABANDONED = 6;
    /** Not a stamp state: the slot moved on, so the record's result can no longer be read. */
    public static final int GONE = 7;
    /** A leader's transaction failed before its COMMIT, and no earlier leader had taken the record: not written. */
    public static final int NOT_WRITTEN = 8;

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final FileLock ownerLock;
    private final int owner;
    private final long token;
    private int users;
    /** Leader only (the caller holds the database's lock file): when a stale-looking claim was first seen. */
    private final Map<Long, Long> suspectClaims = new HashMap<>();

    private SharedSpool(Path path, FileChannel channel, MappedByteBuffer map, FileLock ownerLock, int owner, long token) {
        this.path = path;
        this.channel = channel;
        this.map = map;
        this.ownerLock = ownerLock;
        this.owner = owner;
        this.token = token;
    }

    /**
     * The spool of {@code database} for records of one kind ({@code key}: the table, the durability
     * settings, the database file's identity; processes whose keys differ never share commits).
     *
     * @param resetLock taken around a reset of a spool whose owners are all gone; the database's lock file
     * @return the spool, or {@code null} if it cannot be shared now (another kind of record uses it
     *         while its owners live, every owner number is taken, or the file cannot be mapped)
     */
    public static SharedSpool open(Path database, long key, ResetLock resetLock) {
        Path path = database.resolveSibling(database.getFileName() + ".spool");
        SharedSpool[] opened = {null};
        OPEN.compute(path, (p, existing) -> {
            SharedSpool spool = existing != null ? existing : map(p, key, resetLock);
            if (spool != null && spool.key() == key) {
                spool.users++;
                opened[0] = spool;
            }
            return spool;
        });
        return opened[0];
    }

    /** Serialises resets of the spool with the processes' leaders. */
    public interface ResetLock {
        /** Runs {@code action} holding the lock; returns false if the lock could not be had. */
        boolean whileHeld(Runnable action);
    }

    private static SharedSpool map(Path path, long key, ResetLock resetLock) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_BYTES);
            map.order(ByteOrder.nativeOrder());
            int owner = -1;
            FileLock lock = null;
            for (int candidate = 0; candidate < OWNERS && lock == null; candidate++) {
                lock = channel.tryLock(OWNER_LOCKS_AT + candidate, 1, false);
                owner = candidate;
            }
            if (lock == null) {
                LOG.debug("sqlite-metrics: every owner number of {} is taken; committing alone", path);
                channel.close();
                return null;
            }
            long token = TOKENS.nextLong() | 1;
            SharedSpool spool = new SharedSpool(path, channel, map, lock, owner, token);
            if (!spool.register(key, resetLock)) {
                channel.close();
                return null;
            }
            return spool;
        } catch (IOException | RuntimeException e) {
            // A file system that cannot map shared files, a read-only folder: commit alone, as before.
            LOG.debug("sqlite-metrics cannot share commits through {}", path, e);
            closeQuietly(channel);
            return null;
        }
    }

    /**
     * Registers this process as an owner, under the reset lock so that no reset can slip between the
     * check of the header and the registration. A spool of another key is reset first if none of its
     * registered owners lives (a new file, or one left by a crash, a reboot or other settings).
     */
    private boolean register(long key, ResetLock resetLock) {
        boolean[] registered = {false};
        boolean locked = resetLock.whileHeld(() -> {
            boolean current = (long) LONG.getVolatile(map, MAGIC_AT) == MAGIC && key() == key;
            if (!current) {
                for (int other = 0; other < OWNERS; other++) {
                    if (other != owner && (long) LONG.getVolatile(map, REGISTRY_AT + other * 8) != 0 && alive(other)) {
                        LOG.debug("sqlite-metrics: {} is shared by processes with other settings; committing alone", path);
                        return;
                    }
                }
                // Slots first, the header last, so that whoever sees the key sees empty slots.
                LONG.setVolatile(map, MAGIC_AT, 0L);
                for (int at = 8; at < FILE_BYTES; at += 8) {
                    map.putLong(at, 0L);
                }
                LONG.setVolatile(map, KEY_AT, key);
                LONG.setVolatile(map, MAGIC_AT, MAGIC);
            }
            LONG.setVolatile(map, REGISTRY_AT + owner * 8, token);
            registered[0] = true;
        });
        return locked && registered[0];
    }

    private long key() {
        return (long) LONG.getVolatile(map, KEY_AT);
    }

    /** The file, for messages. */
    public Path path() {
        return path;
    }

    /**
     * Claims a slot and publishes {@code payload} in it.
     *
     * @return the record's position, or -1 if it is not in the spool (too large, no free slot, or a
     *         leader gave the claim up while this thread stalled): then commit it another way
     */
    public long publish(byte[] payload) {
        if (payload.length > PAYLOAD_BYTES) {
            return -1;
        }
        for (int tries = 0; tries < 1_000; tries++) {
            long position = (long) LONG.getVolatile(map, TAIL_AT);
            int at = slotAt(position);
            long stamp = (long) LONG.getVolatile(map, at);
            if (isFreeFor(stamp, position)) {
                long claimed = Stamp.of(position, owner, CLAIMED);
                if (!LONG.compareAndSet(map, at, stamp, claimed)) {
                    continue;
                }
                LONG.compareAndSet(map, TAIL_AT, position, position + 1);
                map.putLong(at + TOKEN_OFFSET, token);
                map.putInt(at + LENGTH_OFFSET, payload.length);
                map.put(at + PAYLOAD_OFFSET, payload, 0, payload.length);
                return LONG.compareAndSet(map, at, claimed, Stamp.of(position, owner, PUBLISHED)) ? position : -1;
            }
            long held = Stamp.position(stamp);
            if (held == position) {
                // Claimed, and the claimer has not moved the tail yet: move it for them.
                LONG.compareAndSet(map, TAIL_AT, position, position + 1);
            } else if (held == position - SLOTS && isSettled(Stamp.state(stamp))) {
                // Last round's record is settled but its owner has not read the result: free it only
                // if that owner is gone.
                if (!ownerLives(stamp, at)) {
                    LONG.compareAndSet(map, at, stamp, Stamp.of(position, 0, FREE));
                } else {
                    return -1;
                }
            } else if (held < position) {
                return -1;
            }
            // held > position: the tail read was stale; read it again.
        }
        return -1;
    }

    /** The state of the record at {@code position}: {@link #COMMITTED}, {@link #FAILED}, ..., or {@link #GONE}. */
    public int state(long position) {
        long stamp = (long) LONG.getVolatile(map, slotAt(position));
        return Stamp.position(stamp) == position && Stamp.owner(stamp) == owner ? Stamp.state(stamp) : GONE;
    }

    /** Whether a state is final for the owner: the record's fate will not change any more. */
    public static boolean isSettled(int state) {
        return state >= COMMITTED;
    }

    /** Withdraws an own record no leader took yet; true if this call withdrew it, so no leader ever will take it. */
    public boolean withdraw(long position) {
        int at = slotAt(position);
        return LONG.compareAndSet(map, at, Stamp.of(position, owner, PUBLISHED), Stamp.of(position, owner, ABANDONED));
    }

    /** Frees the slot of an own record whose settled result was read. */
    public void free(long position) {
        int at = slotAt(position);
        long stamp = (long) LONG.getVolatile(map, at);
        if (Stamp.position(stamp) == position && Stamp.owner(stamp) == owner && isSettled(Stamp.state(stamp))) {
            LONG.compareAndSet(map, at, stamp, Stamp.of(position + SLOTS, 0, FREE));
        }
    }

    /**
     * Takes every published record of a living owner, oldest first, up to {@code max}; records of
     * dead owners are given up. Also takes the records a dead leader had taken, marked as orphans.
     * The caller must hold the database's lock file, which makes it the only leader, and must
     * {@link #settle} every record taken before it releases that lock.
     */
    public List<Taken> take(int max) {
        long from = (long) LONG.getVolatile(map, SCAN_FROM_AT);
        long tail = (long) LONG.getVolatile(map, TAIL_AT);
        from = Math.max(from, tail - SLOTS);
        while (from < tail && done(from)) {
            from++;
        }
        LONG.setVolatile(map, SCAN_FROM_AT, from);
        List<Taken> taken = new ArrayList<>();
        Map<Integer, Boolean> living = new HashMap<>();
        for (long position = from; position < tail && taken.size() < max; position++) {
            int at = slotAt(position);
            long stamp = (long) LONG.getVolatile(map, at);
            if (Stamp.position(stamp) != position) {
                continue;
            }
            int state = Stamp.state(stamp);
            if (state == PUBLISHED || state == TAKEN) {
                int number = Stamp.owner(stamp);
                if (!living.computeIfAbsent(number, this::alive) || !tokenMatches(stamp, at)) {
                    // Its owner died: nobody waits for it, and it may be a record its owner was told
                    // was not written, brought back by a file that lost its last writes.
                    LONG.compareAndSet(map, at, stamp, Stamp.of(position, number, ABANDONED));
                    continue;
                }
                if (state == PUBLISHED && !LONG.compareAndSet(map, at, stamp, Stamp.of(position, number, TAKEN))) {
                    continue;
                }
                taken.add(read(position, at, number != owner, state == TAKEN));
            } else if (state == CLAIMED) {
                giveUpStaleClaim(position, at, stamp, living);
            }
        }
        return taken;
    }

    /** Marks a taken record {@link #COMMITTED}, {@link #NOT_WRITTEN} or {@link #FAILED}; its owner reads it. */
    public void settle(Taken record, int state) {
        int at = slotAt(record.position());
        long stamp = (long) LONG.getVolatile(map, at);
        if (Stamp.position(stamp) == record.position() && Stamp.state(stamp) == TAKEN) {
            LONG.compareAndSet(map, at, stamp, Stamp.of(record.position(), Stamp.owner(stamp), state));
        }
    }

    /** Lets go of the spool; the last user in this JVM unregisters the owner. */
    public void close() {
        OPEN.computeIfPresent(path, (p, spool) -> {
            if (spool != this || --users > 0) {
                return spool;
            }
            LONG.setVolatile(map, REGISTRY_AT + owner * 8, 0L);
            try {
                ownerLock.release();
            } catch (IOException e) {
                LOG.debug("sqlite-metrics releasing owner {} of {} failed", owner, path, e);
            }
            closeQuietly(channel);
            return null;
        });
    }

    private boolean done(long position) {
        long stamp = (long) LONG.getVolatile(map, slotAt(position));
        return Stamp.position(stamp) != position || isSettled(Stamp.state(stamp));
    }

    private Taken read(long position, int at, boolean foreign, boolean orphan) {
        int length = map.getInt(at + LENGTH_OFFSET);
        byte[] payload = new byte[Math.max(0, Math.min(length, PAYLOAD_BYTES))];
        map.get(at + PAYLOAD_OFFSET, payload, 0, payload.length);
        return new Taken(position, payload, foreign, orphan);
    }

    /**
     * A claim is published within microseconds; one that stays claimed belongs to a process that died
     * after claiming (its number's lock is free, or its token is an earlier holder's), and would hold
     * its slot, and in time the whole ring, forever. A live claimer that stalled past the limit finds
     * its claim given up and commits the record itself.
     */
    private void giveUpStaleClaim(long position, int at, long stamp, Map<Integer, Boolean> living) {
        boolean dead = !living.computeIfAbsent(Stamp.owner(stamp), this::alive);
        if (!dead && !tokenMatches(stamp, at)) {
            long now = System.nanoTime();
            long first = suspectClaims.computeIfAbsent(position, p -> now);
            dead = now - first > STALE_CLAIM_NANOS;
        }
        if (dead && LONG.compareAndSet(map, at, stamp, Stamp.of(position, Stamp.owner(stamp), ABANDONED))) {
            suspectClaims.remove(position);
        }
        if (suspectClaims.size() > SLOTS) {
            suspectClaims.clear();
        }
    }

    private boolean ownerLives(long stamp, int at) {
        return alive(Stamp.owner(stamp)) && tokenMatches(stamp, at);
    }

    private boolean tokenMatches(long stamp, int at) {
        long registered = (long) LONG.getVolatile(map, REGISTRY_AT + Stamp.owner(stamp) * 8);
        return registered != 0 && registered == map.getLong(at + TOKEN_OFFSET);
    }

    /** Whether a process holds owner number {@code number}: its byte cannot be locked. */
    private boolean alive(int number) {
        if (number == owner) {
            return true;
        }
        try {
            FileLock probe = channel.tryLock(OWNER_LOCKS_AT + number, 1, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            // Held in this JVM through another alias of the path: alive.
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean isFreeFor(long stamp, long position) {
        return stamp == Stamp.of(position, 0, FREE) || (stamp == 0 && position < SLOTS);
    }

    private static int slotAt(long position) {
        return SLOTS_AT + (int) Math.floorMod(position, (long) SLOTS) * SLOT_BYTES;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("sqlite-metrics closing a spool failed", e);
            }
        }
    }

    /** The 64 bits of a slot's stamp: position (50), owner number (10), state (4). */
    static final class Stamp {
        private Stamp() {
        }

        static long of(long position, int owner, int state) {
            return position << 14 | (long) owner << 4 | state;
        }

        static long position(long stamp) {
            return stamp >>> 14;
        }

        static int owner(long stamp) {
            return (int) (stamp >>> 4) & 0x3FF;
        }

        static int state(long stamp) {
            return (int) stamp & 0xF;
        }
    }
}

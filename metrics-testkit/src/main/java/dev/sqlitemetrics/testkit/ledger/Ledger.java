package dev.sqlitemetrics.testkit.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What every writer said about every id: the last word per id wins ({@code INV} is replaced by the
 * outcome). Thread-safe.
 */
public final class Ledger {
    private final Map<UUID, LedgerEntry> entries = new HashMap<>();

    /** Adds a line; ids seen again keep their most final word. */
    public synchronized void add(LedgerEntry entry) {
        entries.merge(entry.id(), entry, (old, now) -> now.kind() == LedgerEntry.Kind.INV ? old : now);
    }

    /** Adds every parsable ledger line of a writer's output. */
    public void addLines(Collection<String> lines) {
        for (String line : lines) {
            LedgerEntry entry = LedgerEntry.parse(line);
            if (entry != null) {
                add(entry);
            }
        }
    }

    /** The final word per id. */
    public synchronized Map<UUID, LedgerEntry> entries() {
        return Map.copyOf(entries);
    }

    /** How many ids ended with {@code kind}. */
    public synchronized long count(LedgerEntry.Kind kind) {
        return entries.values().stream().filter(entry -> entry.kind() == kind).count();
    }
}

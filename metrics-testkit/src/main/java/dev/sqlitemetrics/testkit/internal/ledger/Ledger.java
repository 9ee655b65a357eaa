package dev.sqlitemetrics.testkit.internal.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything every writer said about every id, in order: no line replaces another, so an id
 * answered twice (OK and then FAIL) stays visible to the check. Thread-safe.
 */
public final class Ledger {
    private final Map<String, List<LedgerEntry>> entries = new LinkedHashMap<>();

    /** Adds a line. */
    public synchronized void add(LedgerEntry entry) {
        entries.computeIfAbsent(entry.id(), id -> new ArrayList<>(2)).add(entry);
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

    /** Every line per id, in the order they were added (a copy). */
    public synchronized Map<String, List<LedgerEntry>> entries() {
        Map<String, List<LedgerEntry>> copy = new LinkedHashMap<>();
        entries.forEach((id, lines) -> copy.put(id, List.copyOf(lines)));
        return copy;
    }

    /** How many ids ended with {@code decision}: OK if acknowledged anywhere, INV if never answered. */
    public synchronized long count(LedgerEntry.Kind decision) {
        return entries.entrySet().stream().filter(lines -> IdAccount.of(lines.getKey(), lines.getValue()).decision()
                == decision).count();
    }

    /** The ids that ended with {@code decision}. */
    public synchronized List<String> ids(LedgerEntry.Kind decision) {
        return entries.entrySet().stream().filter(lines -> IdAccount.of(lines.getKey(), lines.getValue()).decision()
                == decision).map(Map.Entry::getKey).toList();
    }

    /** Every answer that was not OK (FAIL and UNKNOWN lines), in order. */
    public synchronized List<LedgerEntry> failures() {
        return entries.values().stream().flatMap(List::stream)
                .filter(line -> line.kind() == LedgerEntry.Kind.FAIL || line.kind() == LedgerEntry.Kind.UNKNOWN).toList();
    }

    /** How many ids were invoked or answered. */
    public synchronized int size() {
        return entries.size();
    }
}

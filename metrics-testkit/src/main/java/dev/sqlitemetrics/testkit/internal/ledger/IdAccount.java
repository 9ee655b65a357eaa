package dev.sqlitemetrics.testkit.internal.ledger;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the ledger says about one id: the content each invocation asked for and the answers it got.
 * An id may be invoked again (recording it once more after an unknown outcome); each invocation has
 * at most one answer. An id acknowledged anywhere counts as acknowledged (I1 decides it), whatever
 * else was said about it.
 *
 * @param id          the id, exactly as sent
 * @param invocations how many times it was invoked
 * @param contents    the fingerprints of the content its invocations asked for
 * @param answers     every answer, in order (none for a call in flight at a kill)
 */
record IdAccount(String id, int invocations, Set<String> contents, List<LedgerEntry> answers) {

    static IdAccount of(String id, List<LedgerEntry> lines) {
        List<LedgerEntry> invoked = lines.stream().filter(line -> line.kind() == LedgerEntry.Kind.INV).toList();
        return new IdAccount(id, invoked.size(), invoked.stream().map(LedgerEntry::content).collect(Collectors.toSet()),
                lines.stream().filter(line -> line.kind() != LedgerEntry.Kind.INV).toList());
    }

    /** Whether it got more answers than it had calls: the account itself is wrong. */
    boolean answeredTooOften() {
        return answers.size() > Math.max(1, invocations);
    }

    /** The deciding word: OK if acknowledged anywhere, else FAIL if only that, else UNKNOWN (or INV in flight). */
    LedgerEntry.Kind decision() {
        if (answers.stream().anyMatch(answer -> answer.kind() == LedgerEntry.Kind.OK)) {
            return LedgerEntry.Kind.OK;
        }
        if (answers.isEmpty()) {
            return LedgerEntry.Kind.INV;
        }
        return answers.size() >= invocations && answers.stream().allMatch(answer -> answer.kind() == LedgerEntry.Kind.FAIL)
                ? LedgerEntry.Kind.FAIL : LedgerEntry.Kind.UNKNOWN;
    }

    /** The code of the first failure answer, or {@code null}. */
    String code() {
        return answers.stream().map(LedgerEntry::code).filter(code -> code != null).findFirst().orElse(null);
    }
}

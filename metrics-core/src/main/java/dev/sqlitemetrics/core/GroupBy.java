package dev.sqlitemetrics.core;

/** What a summary groups rows by: task, outcome, and at most one time bucket (UTC). */
public enum GroupBy {
    /** One group per task. */
    TASK,
    /** One group per outcome. */
    OUTCOME,
    /** One group per minute. */
    MINUTE,
    /** One group per hour. */
    HOUR,
    /** One group per day. */
    DAY
}

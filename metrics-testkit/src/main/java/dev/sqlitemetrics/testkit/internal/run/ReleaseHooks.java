package dev.sqlitemetrics.testkit.internal.run;

/** What happens around the start barrier of a level, e.g. arming and starting a lock hog. Internal. */
public interface ReleaseHooks {
    /** No hooks. */
    ReleaseHooks NONE = new ReleaseHooks() {
    };

    /** Every writer is open and waiting at the barrier; it has not opened yet. */
    default void allReady() throws InterruptedException {
    }

    /** The barrier has just opened. */
    default void released() {
    }
}

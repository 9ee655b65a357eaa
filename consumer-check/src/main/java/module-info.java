/** A user's application on the module path: what it requires is all it can see. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.sqlitemetrics.consumercheck {
    requires dev.sqlitemetrics.core;
    requires dev.sqlitemetrics.testkit;
    requires dev.sqlitemetrics.micrometer;
}

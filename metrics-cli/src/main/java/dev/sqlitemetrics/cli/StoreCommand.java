package dev.sqlitemetrics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A subcommand that reads or writes one store: it takes every setting's flag ({@link StoreOptions}),
 * which {@link MetricsCli} adds when it builds the command line.
 */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the metrics are, and every setting. */
    final StoreOptions store = new StoreOptions();
}

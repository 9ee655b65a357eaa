package dev.sqlitemetrics.cli;

import picocli.CommandLine;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Refuses, as a usage error before any work, an output file that cannot be written: a folder, a
     * file in a folder that does not exist, a file this user may not write.
     */
    void checkOutput(Path out) {
        String problem = null;
        Path folder = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out)) {
            problem = "--out " + out + " is a folder: give a file name";
        } else if (folder != null && !Files.isDirectory(folder)) {
            problem = "--out " + out + ": there is no folder " + folder;
        } else if (Files.exists(out) ? !Files.isWritable(out) : folder != null && !Files.isWritable(folder)) {
            problem = "--out " + out + " cannot be written by this user";
        }
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
    }
}

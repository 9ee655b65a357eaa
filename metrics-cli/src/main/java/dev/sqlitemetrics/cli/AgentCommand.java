package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.cli.agent.Agent;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;

/** {@code agent}: a resident recorder any process records through over HTTP. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Keeps one recorder open and serves HTTP/1.1 on a Unix domain socket (and, with --listen, on"
                + " loopback TCP), so that any process records in milliseconds instead of a JVM start:",
                "  curl --unix-socket metrics.db.sock -H 'Content-Type: application/json' \\\\",
                "       -d '{\"task\": \"backup\", \"outcome\": \"FAILED\", \"durationMs\": 1532}' http://localhost/v1/completions",
                "POST /v1/completions answers 201 {\"id\": ...} after the COMMIT; 400 refused (nothing written); 503 with"
                        + " Retry-After not written; 500 not written, retrying cannot help; 504 outcome unknown (post again"
                        + " with the same id). application/x-ndjson bodies record many, answered per line. GET /healthz.",
                "Runs in the foreground; SIGTERM or SIGINT answers what it took, closes the recorder and removes the socket."})
final class AgentCommand extends StoreCommand {
    @Option(names = "--socket", paramLabel = "PATH", description = "The Unix domain socket (default: the database file"
            + " with .sock added).")
    Path socket;

    @Option(names = "--socket-mode", paramLabel = "MODE", description = "Who may connect, as permissions"
            + " (default: rw------- : this user only; rw-rw---- lets the group in).")
    String socketMode = "rw-------";

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Also serve TCP here, e.g. 127.0.0.1:8126."
            + " Any address other than loopback needs --token-file.")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the bearer token every TCP"
            + " request must bring (Authorization: Bearer ...).")
    Path tokenFile;

    @Override
    public Integer call() throws Exception {
        StoreConfig config = store.config();
        Path path = socket != null ? socket : config instanceof SqliteConfig sqlite
                ? Path.of(sqlite.path() + ".sock") : null;
        if (path == null) {
            throw usage("--socket PATH is needed with --jdbc-url");
        }
        if (path.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw usage("--socket " + path + " is too long for a Unix domain socket (at most about 100 bytes)");
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> mode;
        try {
            mode = PosixFilePermissions.fromString(socketMode.length() == 9 ? socketMode : "");
        } catch (IllegalArgumentException e) {
            throw usage("--socket-mode must be like rw-------, was " + socketMode);
        }
        String host = null;
        int port = -1;
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            try {
                host = listen.substring(0, colon).replaceAll("^\\[|\\]$", "");
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (RuntimeException e) {
                throw usage("--listen must be HOST:PORT, was " + listen);
            }
            if (port < 1 || port > 65535) {
                throw usage("--listen needs a port between 1 and 65535, was " + port);
            }
            if (!InetAddress.getByName(host).isLoopbackAddress() && tokenFile == null) {
                throw usage("--listen " + listen + " is not loopback: any host could record; give --token-file");
            }
        }
        byte[] token = null;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw usage("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
            }
            if (token.length < 16) {
                throw usage("--token-file " + tokenFile + " holds " + token.length + " bytes: use at least 16 random ones");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Agent agent;
        try {
            agent = Agent.start(config, path, mode, host, port, token);
        } catch (MetricsException e) {
            err.println("agent failed: " + e.getMessage());
            return e.isRetryable() ? ExitCodes.FAILED : ExitCodes.PERMANENT;
        } catch (IllegalStateException | IOException e) {
            err.println("agent failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "sqlite-metrics-agent-stop"));
        err.println("serving " + config.database() + " on " + path + (agent.tcpPort() < 0 ? ""
                : " and http://" + listen.substring(0, listen.lastIndexOf(':')) + ":" + agent.tcpPort()));
        err.flush();
        stopped.await();
        return ExitCodes.DONE;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

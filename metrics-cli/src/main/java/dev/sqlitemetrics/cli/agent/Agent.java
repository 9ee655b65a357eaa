package dev.sqlitemetrics.cli.agent;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.StoreConfig;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * The agent: one recorder, served over HTTP on a Unix domain socket and optionally on TCP, by Jetty
 * (the one well-kept Java 17 server that listens on a Unix socket without native code).
 *
 * <p>The socket gets its mode without a moment in which others could connect: it is bound inside a
 * new folder only this user can enter, given its mode there, and moved to its path. A socket file
 * left by an agent that died is found out (nothing answers on it) and replaced; one that answers
 * belongs to a running agent, and this one does not start.
 */
public final class Agent implements AutoCloseable {
    /** How long closing waits for requests in progress (a batch's COMMIT) before it stops the server. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Server server;
    private final MetricsRecorder recorder;
    private final Path socket;
    private final int tcpPort;

    private Agent(Server server, MetricsRecorder recorder, Path socket, int tcpPort) {
        this.server = server;
        this.recorder = recorder;
        this.socket = socket;
        this.tcpPort = tcpPort;
    }

    /**
     * Opens the recorder of {@code config} and starts serving it.
     *
     * @param host  the TCP host to listen on as well, or null for the socket alone
     * @param port  the TCP port
     * @param token the bearer token TCP requests must bring, or null
     * @throws IllegalStateException when another agent serves {@code socket}
     */
    public static Agent start(StoreConfig config, Path socket, Set<PosixFilePermission> mode, String host, int port,
                              byte[] token) throws IOException {
        Path path = socket.toAbsolutePath();
        clearStale(path);
        MetricsRecorder recorder = MetricsRecorder.open(config);
        Server server = new Server(new QueuedThreadPool(64, 2));
        Path folder = null;
        try {
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            folder = Files.createTempDirectory(path.getParent(), ".agent-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path bound = folder.resolve("s");
            UnixDomainServerConnector uds = new UnixDomainServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            uds.setUnixDomainPath(bound);
            server.addConnector(uds);
            ServerConnector tcp = null;
            if (host != null) {
                tcp = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
                tcp.setHost(host);
                tcp.setPort(port);
                server.addConnector(tcp);
            }
            server.setStopTimeout(DRAIN.toMillis());
            // Graceful stop: requests in progress (waiting for their COMMIT) are answered first.
            org.eclipse.jetty.server.handler.GracefulHandler graceful = new org.eclipse.jetty.server.handler.GracefulHandler();
            server.setHandler(graceful);
            graceful.setHandler(new AgentHandler(recorder, token, port));
            server.start();
            int actualPort = tcp == null ? -1 : tcp.getLocalPort();
            Files.setPosixFilePermissions(bound, mode);
            Files.move(bound, path, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(folder);
            return new Agent(server, recorder, path, actualPort);
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            recorder.close();
            if (folder != null) {
                try (var left = Files.list(folder)) {
                    for (Path file : left.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(folder);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("starting the agent failed: " + e, e);
        }
    }

    /** A socket file nothing answers on is an earlier agent's, which died: removed. One that answers is refused. */
    private static void clearStale(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IllegalStateException("another agent serves " + path + " (it answered); stop it first");
        } catch (ConnectException nothingAnswers) {
            Files.delete(path);
        } catch (IOException notASocket) {
            throw new IOException(path + " exists and is not an agent's socket: " + notASocket.getMessage(), notASocket);
        }
    }

    /** The TCP port served, or -1. */
    public int tcpPort() {
        return tcpPort;
    }

    /** Answers the requests in progress, stops serving, closes the recorder (committing what it took) and removes the socket. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is the last thing this process does: the recorder still closes below.
        }
        recorder.close();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // A socket file left behind is found out and replaced by the next agent.
        }
    }
}

package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 49: the agent killed -9 under load and started again, while client processes
 * (Python's standard library) record through it and post again, with the same id, whatever did not
 * answer 201. Every record answered 201 is in the table once; none is there twice.
 */
class AgentKillIT {
    private static final int CLIENTS = 3;
    private static final int RECORDS = 150;

    /** A client: records RECORDS completions with ids of its own, each posted until it is answered 201. */
    private static final String CLIENT = String.join("\n",
            "import http.client, json, socket, sys, time, uuid",
            "class UnixHTTPConnection(http.client.HTTPConnection):",
            "    def __init__(self, path):",
            "        super().__init__('localhost', timeout=30)",
            "        self.unix_path = path",
            "    def connect(self):",
            "        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(30); s.connect(self.unix_path); self.sock = s",
            "sock, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])",
            "print('READY', flush=True); sys.stdin.readline()",
            "for i in range(n):",
            "    rid = str(uuid.uuid4())",
            "    print('INV', rid, flush=True)",
            "    while True:",
            "        try:",
            "            c = UnixHTTPConnection(sock)",
            "            c.request('POST', '/v1/completions', body=json.dumps({'task': name, 'id': rid, 'durationMs': i}).encode(),",
            "                      headers={'Content-Type': 'application/json'})",
            "            r = c.getresponse(); r.read(); c.close()",
            "            if r.status == 201:",
            "                print('OK', rid, flush=True); break",
            "            if r.status == 400:",
            "                print('REFUSED', rid, flush=True); break",
            "        except OSError:",
            "            pass",
            "        time.sleep(0.05)",
            "print('DONE', flush=True)", "");

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process agent(Path db, int round) throws Exception {
        Process process = Launcher.process(List.of(Launcher.path().toString(), "agent", "--db", db.toString()),
                dir.resolve("cache")).redirectErrorStream(true).redirectOutput(dir.resolve("agent-" + round + ".log").toFile())
                .start();
        started.add(process);
        return process;
    }

    @Test
    @Timeout(300)
    void killedAndStartedAgainUnderLoadEveryAnswered201IsStoredOnce() throws Exception {
        Path db = dir.resolve("metrics.db");
        Path socket = Path.of(db + ".sock");
        Process first = agent(db, 0);
        Await.until(() -> Files.exists(socket) || !first.isAlive(), Duration.ofSeconds(60), "the agent's socket");
        assertThat(first.isAlive()).isTrue();
        Path script = Files.writeString(dir.resolve("client.py"), CLIENT);
        List<Process> clients = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Path output = dir.resolve("client-" + i + ".txt");
            outputs.add(output);
            Process client = new ProcessBuilder("python3", "-S", script.toString(), socket.toString(), "client-" + i,
                    String.valueOf(RECORDS)).redirectOutput(output.toFile()).redirectErrorStream(false).start();
            started.add(client);
            clients.add(client);
        }
        for (Path output : outputs) {
            Await.until(() -> read(output).contains("READY"), Duration.ofSeconds(60), "a client ready");
        }
        // One start for every client at once.
        for (Process client : clients) {
            client.getOutputStream().write('\n');
            client.getOutputStream().flush();
        }
        // Killed once the load is under way, then started again on the same socket.
        Await.until(() -> count(outputs, "OK ") >= 60, Duration.ofSeconds(60), "60 records answered 201");
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long answeredBeforeKill = count(outputs, "OK ");
        Process second = agent(db, 1);
        for (Process client : clients) {
            assertThat(client.waitFor(240, TimeUnit.SECONDS)).as("client finished").isTrue();
        }
        assertThat(second.isAlive()).isTrue();

        Set<String> ok = new HashSet<>();
        Set<String> invoked = new HashSet<>();
        for (Path output : outputs) {
            for (String line : Files.readAllLines(output)) {
                if (line.startsWith("OK ")) {
                    ok.add(line.substring(3));
                } else if (line.startsWith("INV ")) {
                    invoked.add(line.substring(4));
                }
            }
            assertThat(read(output)).contains("DONE").doesNotContain("REFUSED");
        }
        assertThat(ok).hasSize(CLIENTS * RECORDS);
        assertThat(answeredBeforeKill).isLessThan(CLIENTS * RECORDS);
        Map<String, Integer> copies = Db.idCounts(db);
        for (String id : ok) {
            assertThat(copies.get(id)).as("copies of %s, answered 201", id).isEqualTo(1);
        }
        assertThat(copies.keySet()).as("nothing stored that no client asked for").isSubsetOf(invoked);
        assertThat(copies.values()).allMatch(n -> n == 1);
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long count(List<Path> outputs, String prefix) {
        return outputs.stream().flatMap(output -> read(output).lines()).filter(line -> line.startsWith(prefix)).count();
    }
}

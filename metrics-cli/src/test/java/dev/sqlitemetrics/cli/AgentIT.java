package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.StoredCompletion;
import dev.sqlitemetrics.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent as a user runs it: the launcher in a process of its own, reached with curl and Python's
 * standard library over its Unix socket and over loopback TCP.
 */
class AgentIT {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAgents() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process agent(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Launcher.path().toString(), "agent"));
        command.addAll(List.of(args));
        Process process = Launcher.process(command, dir.resolve("cache")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent-" + started.size() + ".log").toFile()).start();
        started.add(process);
        return process;
    }

    private String log(int index) throws IOException {
        return Files.readString(dir.resolve("agent-" + index + ".log"));
    }

    /** Runs {@code command}; its exit code and output. */
    private static String[] run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {String.valueOf(process.exitValue()), out};
    }

    private static String[] curl(Path socket, String contentType, String body, String path) throws Exception {
        return run("curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--unix-socket", socket.toString(),
                "-H", "Content-Type: " + contentType, "--data-binary", body, "http://localhost" + path);
    }

    @Test
    @Timeout(180)
    void recordsOverItsSocketAnsweringAfterTheCommitAndStopsCleanly() throws Exception {
        Path db = dir.resolve("metrics.db");
        Path socket = Path.of(db + ".sock");
        Process agent = agent("--db", db.toString());
        Await.until(() -> Files.exists(socket) || !agent.isAlive(), Duration.ofSeconds(60), "the agent's socket");
        assertThat(agent.isAlive()).as(log(0)).isTrue();
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        String[] created = curl(socket, "application/json",
                "{\"task\": \"backup\", \"outcome\": \"FAILED\", \"durationMs\": 1532, \"attributes\": {\"host\": \"a\"}}",
                "/v1/completions");
        assertThat(created[1]).endsWith("\n201").startsWith("{\"id\": \"");
        String id = created[1].substring(8, 44);
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(db))) {
            // Answered 201 means committed: the row is there as soon as the answer is.
            StoredCompletion row = reader.latest(CompletionFilter.ALL, 1).get(0);
            assertThat(row.id()).hasToString(id);
            assertThat(row.task()).isEqualTo("backup");
            assertThat(row.outcome()).isEqualTo("FAILED");
            assertThat(row.durationMillis()).isEqualTo(1532.0);
            assertThat(row.attributesJson()).isEqualTo("{\"host\":\"a\"}");
        }
        // The same id again is stored once.
        assertThat(curl(socket, "application/json", "{\"task\": \"backup\", \"id\": \"" + id + "\"}", "/v1/completions")[1])
                .isEqualTo("{\"id\": \"" + id + "\"}\n\n201");
        // Refusals write nothing.
        assertThat(curl(socket, "application/json", "{\"task\": ", "/v1/completions")[1]).startsWith("{\"error\": \"malformed JSON")
                .endsWith("\n400");
        assertThat(curl(socket, "application/json", "{\"outcome\": \"FAILED\"}", "/v1/completions")[1]).endsWith("\n400");
        assertThat(curl(socket, "application/json", "{\"task\": \"t\", \"outcome\": \"MAYBE\"}", "/v1/completions")[1])
                .contains("outcome must be one of").endsWith("\n400");
        assertThat(curl(socket, "text/plain", "{\"msg\": \"x\"}", "/v1/completions")[1]).endsWith("\n415");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", socket.toString(),
                "http://localhost/healthz")[1]).isEqualTo("200");
        // Many at once, answered per line.
        String[] many = curl(socket, "application/x-ndjson", "{\"msg\": \"one\"}\n{\"task\": \"two\"}\nnot json\n",
                "/v1/completions");
        assertThat(many[1].lines().filter(line -> !line.isEmpty()).toList()).hasSize(4).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("{\"status\": 201, \"id\": ");
            assertThat(lines.get(1)).startsWith("{\"status\": 201, \"id\": ");
            assertThat(lines.get(2)).startsWith("{\"status\": 400, \"error\": \"malformed JSON");
            assertThat(lines.get(3)).isEqualTo("200");
        });
        // Python's standard library, as a job would record.
        Path client = Files.writeString(dir.resolve("client.py"), String.join("\n",
                "import http.client, json, socket, sys",
                "class UnixHTTPConnection(http.client.HTTPConnection):",
                "    def __init__(self, path):",
                "        super().__init__('localhost', timeout=10)",
                "        self.unix_path = path",
                "    def connect(self):",
                "        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(10); s.connect(self.unix_path); self.sock = s",
                "c = UnixHTTPConnection(sys.argv[1])",
                "c.request('POST', '/v1/completions', body=json.dumps({'task': 'from-python', 'durationMs': 7}).encode(),",
                "          headers={'Content-Type': 'application/json'})",
                "r = c.getresponse(); print(r.status, json.loads(r.read())['id'])", ""));
        assertThat(run("python3", "-S", client.toString(), socket.toString())[1]).startsWith("201 ");
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(db))) {
            assertThat(reader.latest(CompletionFilter.ALL, 100)).hasSize(4);
        }

        // A second agent on the same socket is refused; the first goes on.
        Process second = agent("--db", db.toString());
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(log(1)).contains("another agent serves " + socket);
        // SIGTERM: it answers what it took, closes the recorder and removes its socket.
        agent.destroy();
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(log(0)).isIn(0, 128 + 15);
        assertThat(socket).doesNotExist();
    }

    @Test
    @Timeout(180)
    void overLoopbackTcpOnlyWhatNoWebPageCanSendIsTaken() throws Exception {
        Path db = dir.resolve("tcp.db");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process agent = agent("--db", db.toString(), "--listen", "127.0.0.1:" + port);
        Path socket = Path.of(db + ".sock");
        Await.until(() -> Files.exists(socket) || !agent.isAlive(), Duration.ofSeconds(60), "the agent's socket");
        assertThat(agent.isAlive()).as(log(0)).isTrue();
        String url = "http://127.0.0.1:" + port + "/v1/completions";
        String body = "{\"task\": \"over-tcp\"}";
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", body, url)[1]).isEqualTo("201");
        // A page rebound to this address sends its own Host; a browser sends Origin; a form cannot send JSON.
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: attacker.example:" + port,
                "-H", "Content-Type: application/json", "--data-binary", body, url)[1]).isEqualTo("403");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Origin: http://attacker.example",
                "-H", "Content-Type: application/json", "--data-binary", body, url)[1]).isEqualTo("403");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                "Content-Type: application/x-www-form-urlencoded", "--data-binary", body, url)[1]).isEqualTo("415");
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(db))) {
            assertThat(reader.latest(CompletionFilter.ALL, 100)).hasSize(1);
        }
        // With a token, every TCP request brings it.
        int tokenPort;
        try (ServerSocket free = new ServerSocket(0)) {
            tokenPort = free.getLocalPort();
        }
        Path tokenFile = Files.writeString(dir.resolve("token"), "a-token-of-thirty-two-characters\n");
        Path tokenDb = dir.resolve("token.db");
        Process withToken = agent("--db", tokenDb.toString(), "--listen", "127.0.0.1:" + tokenPort, "--token-file",
                tokenFile.toString());
        Await.until(() -> Files.exists(Path.of(tokenDb + ".sock")) || !withToken.isAlive(), Duration.ofSeconds(60),
                "the second agent's socket");
        String tokenUrl = "http://127.0.0.1:" + tokenPort + "/v1/completions";
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", body, tokenUrl)[1]).isEqualTo("401");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer wrong",
                "-H", "Content-Type: application/json", "--data-binary", body, tokenUrl)[1]).isEqualTo("401");
        assertThat(run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                "Authorization: Bearer a-token-of-thirty-two-characters", "-H", "Content-Type: application/json",
                "--data-binary", body, tokenUrl)[1]).isEqualTo("201");

        // Beyond loopback only with a token.
        Process open = agent("--db", dir.resolve("other.db").toString(), "--listen", "0.0.0.0:" + port);
        assertThat(open.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(open.exitValue()).isEqualTo(2);
        assertThat(log(2)).contains("is not loopback: any host could record; give --token-file");
    }
}

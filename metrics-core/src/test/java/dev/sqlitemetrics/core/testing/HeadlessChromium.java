package dev.sqlitemetrics.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assertions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, driven over its DevTools protocol: a page is opened with hooks
 * installed before any of its own content runs (every {@code alert}, {@code confirm} and
 * {@code prompt} is noted, and so is every dialog the browser would show), then inspected with
 * JavaScript evaluated in the rendered page. Tests that need it fail, saying why, where
 * Chromium is not installed.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Runs in every page before its own content: notes what would open a dialog. */
    private static final String HOOKS = "window.__dialogs = [];"
            + "for (const name of ['alert', 'confirm', 'prompt']) {"
            + "  window[name] = (...args) => { window.__dialogs.push(name + ': ' + args.join(' ')); };"
            + "}";

    private final Process process;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> loads = new ConcurrentHashMap<>();
    /** Dialogs the browser itself opened (a hook that was got around would show here). */
    private final List<String> dialogs = Collections.synchronizedList(new ArrayList<>());

    private HeadlessChromium(Process process, WebSocket.Builder builder, URI endpoint) throws Exception {
        this.process = process;
        this.socket = builder.buildAsync(endpoint, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Starts a browser with a fresh profile under {@code profile}, or fails the calling test. */
    public static HeadlessChromium start(Path profile) throws Exception {
        Assertions.assertTrue(Files.isExecutable(BINARY),
                "Chromium is not installed at " + BINARY + " (scripts/test-all installs Debian's chromium)");
        // As root Chromium needs --no-sandbox; the rest keeps it off a network this machine does not have.
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader errors = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        URI endpoint = null;
        while (endpoint == null && (line = errors.readLine()) != null) {
            seen.add(line);
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                endpoint = URI.create(matcher.group(1));
            }
        }
        if (endpoint == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools port: " + String.join("\n", seen));
        }
        Thread drain = new Thread(() -> errors.lines().forEach(ignored -> { }), "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return new HeadlessChromium(process, HttpClient.newHttpClient().newWebSocketBuilder(), endpoint);
    }

    /** A page of the browser, showing one file. */
    public final class Page {
        private final String session;

        private Page(String session) {
            this.session = session;
        }

        /** Evaluates {@code expression} in the page; its value as JSON. */
        public JsonNode evaluate(String expression) throws Exception {
            JsonNode answer = send(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
            if (answer.has("exceptionDetails")) {
                throw new IllegalStateException("the page threw: " + answer.get("exceptionDetails"));
            }
            return answer.path("result").path("value");
        }

        /** What the page's hooks noted, and the dialogs the browser opened. */
        public List<String> dialogs() throws Exception {
            List<String> all = new ArrayList<>();
            evaluate("window.__dialogs").forEach(node -> all.add(node.asText()));
            all.addAll(HeadlessChromium.this.dialogs);
            return all;
        }

        /** The whole page as a PNG. */
        public void screenshot(Path file) throws Exception {
            JsonNode shot = send(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
            Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
        }
    }

    /** Opens {@code file} in a new page 1,100 pixels wide and waits until it has loaded. */
    public Page open(Path file) throws Exception {
        return open(file, 1100);
    }

    /** Opens {@code file} in a new page {@code width} pixels wide and waits until it has loaded. */
    public Page open(Path file, int width) throws Exception {
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
        send(session, "Page.enable", Map.of());
        send(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 900, "deviceScaleFactor", 1,
                "mobile", false));
        send(session, "Page.addScriptToEvaluateOnNewDocument", Map.of("source", HOOKS));
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        loads.put(session, loaded);
        send(session, "Page.navigate", Map.of("url", file.toUri().toString()));
        loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return new Page(session);
    }

    private JsonNode send(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", json.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(json.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private void received(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        String session = message.path("sessionId").asText(null);
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> {
                CompletableFuture<Void> loaded = session == null ? null : loads.get(session);
                if (loaded != null) {
                    loaded.complete(null);
                }
            }
            case "Page.javascriptDialogOpening" -> {
                dialogs.add(message.path("params").path("type").asText() + ": " + message.path("params").path("message").asText());
                // Dismissed, or the page would wait for it forever.
                ObjectNode dismiss = json.createObjectNode().put("id", ids.incrementAndGet())
                        .put("method", "Page.handleJavaScriptDialog").put("sessionId", session);
                dismiss.putObject("params").put("accept", true);
                socket.sendText(dismiss.toString(), true);
            }
            default -> {
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received(json.readTree(partial.toString()));
                } catch (IOException e) {
                    pending.values().forEach(answer -> answer.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /**
     * Stops the browser and every process it started: its helpers (renderer, GPU, crash handler)
     * outlive the main process for a moment and keep writing to the profile, whose folder the test
     * deletes next. They are listed before the main process stops, since its orphans are not.
     */
    @Override
    public void close() throws InterruptedException {
        socket.abort();
        java.util.List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroy();
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                helper.destroyForcibly();
            }
        }
    }
}

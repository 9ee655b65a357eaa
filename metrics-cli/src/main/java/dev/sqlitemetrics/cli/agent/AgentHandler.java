package dev.sqlitemetrics.cli.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.testkit.internal.report.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The agent's HTTP endpoints, over the Unix socket and loopback TCP alike. Blocking: a {@code POST}
 * is answered after the COMMIT that holds its records, with the Java API's contract in HTTP terms:
 * 201 written; 400 refused, nothing written; 503 with {@code Retry-After} not written, try again;
 * 500 not written, trying again cannot help; 504 outcome unknown (post again with the same id).
 * Requests over TCP must name a loopback host, carry no {@code Origin} (a browser's), and bring the
 * bearer token when there is one: a web page can reach neither the socket nor, so, the agent.
 */
final class AgentHandler extends Handler.Abstract {
    /** The largest body taken: a batch of NDJSON lines, each at most the recorder's message limit. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricsRecorder recorder;
    private final byte[] token;
    private final int port;

    /**
     * @param token the bearer token TCP requests must bring, or null for none (loopback only)
     * @param port  the loopback port, for the Host check, or -1
     */
    AgentHandler(MetricsRecorder recorder, byte[] token, int port) {
        this.recorder = recorder;
        this.token = token;
        this.port = port;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (request.getConnectionMetaData().getConnector() instanceof NetworkConnector) {
            String refused = refusedOverTcp(request);
            if (refused != null) {
                return answer(response, callback, refused.startsWith("401") ? 401 : 403, error(refused.substring(4)));
            }
        }
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/healthz" -> {
                return method.equals("GET") ? answer(response, callback, 200, "{\"status\": \"ok\"}")
                        : notAllowed(response, callback, "GET");
            }
            case "/v1/completions" -> {
                return method.equals("POST") ? post(request, response, callback) : notAllowed(response, callback, "POST");
            }
            default -> {
                return answer(response, callback, 404, error("no such endpoint: " + path
                        + " (POST /v1/completions, GET /healthz)"));
            }
        }
    }

    /** Why a TCP request is refused (a status and a reason), or null. */
    private String refusedOverTcp(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (token == null && (host == null || !List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port)
                .contains(host.toLowerCase(Locale.ROOT)))) {
            return "403 Host must be 127.0.0.1:" + port + " or localhost:" + port + ", was " + host;
        }
        if (request.getHeaders().get(HttpHeader.ORIGIN) != null) {
            return "403 requests from web pages (with an Origin header) are refused";
        }
        if (token != null) {
            String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            byte[] bearer = given == null || !given.startsWith("Bearer ") ? new byte[0]
                    : given.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            // Compared in constant time: how long a refusal takes says nothing about the token.
            if (!MessageDigest.isEqual(bearer, token)) {
                return "401 a bearer token is needed (Authorization: Bearer ...)";
            }
        }
        return null;
    }

    private boolean post(Request request, Response response, Callback callback) throws Exception {
        String type = String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        boolean ndjson = type.startsWith("application/x-ndjson");
        if (!ndjson && !type.startsWith("application/json")) {
            return answer(response, callback, 415, error("Content-Type must be application/json or application/x-ndjson"));
        }
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > MAX_BODY_BYTES) {
            return answer(response, callback, 413, error("the body is " + length + " bytes, at most " + MAX_BODY_BYTES));
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return answer(response, callback, 413, error("the body is over " + MAX_BODY_BYTES + " bytes"));
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return ndjson ? many(text, response, callback) : one(text, response, callback);
    }

    private boolean one(String body, Response response, Callback callback) {
        CompletionRequest record;
        try {
            record = CompletionRequest.of(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return answer(response, callback, 400, error("malformed JSON: " + e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            return answer(response, callback, 400, error(e.getMessage()));
        }
        Answer answer = settle(submit(record));
        if (answer.status() == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        return answer(response, callback, answer.status(), answer.json());
    }

    /** Many records, one per line: all handed to the recorder first (they share commits), then each answered. */
    private boolean many(String body, Response response, Callback callback) {
        List<Object> submitted = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                submitted.add(submit(CompletionRequest.of(JSON.readTree(line))));
            } catch (JsonProcessingException e) {
                submitted.add(new Answer(400, error("malformed JSON: " + e.getOriginalMessage())));
            } catch (IllegalArgumentException e) {
                submitted.add(new Answer(400, error(e.getMessage())));
            }
        }
        StringBuilder out = new StringBuilder();
        for (Object each : submitted) {
            Answer answer = each instanceof Answer refused ? refused : settle(each);
            out.append("{\"status\": ").append(answer.status()).append(", ").append(answer.json().substring(1)).append('\n');
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        response.setStatus(200);
        Content.Sink.write(response, true, out.toString(), callback);
        return true;
    }

    /** The record handed to the recorder: its future, or an immediate refusal of its content. */
    private Object submit(CompletionRequest record) {
        try {
            return record.completion() != null ? recorder.recordCompletionAsync(record.completion())
                    : recorder.recordAsync(record.msg());
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Answer(400, error(e.getMessage()));
        } catch (MetricsException e) {
            return failure(e);
        }
    }

    /** What a submitted record came to, once committed or failed. */
    private Answer settle(Object submitted) {
        if (submitted instanceof Answer answer) {
            return answer;
        }
        try {
            UUID id = ((CompletableFuture<?>) submitted).thenApply(UUID.class::cast).join();
            return new Answer(201, "{\"id\": \"" + id + "\"}");
        } catch (CompletionException e) {
            if (e.getCause() instanceof MetricsException failure) {
                return failure(failure);
            }
            return new Answer(500, "{\"error\": " + Json.quote(String.valueOf(e.getCause())) + ", \"outcome\": \"unknown\"}");
        }
    }

    private static Answer failure(MetricsException e) {
        if (e.outcome() == WriteOutcome.UNKNOWN) {
            return new Answer(504, "{\"error\": " + Json.quote(e.getMessage()) + ", \"outcome\": \"unknown\"}");
        }
        return new Answer(e.isRetryable() ? 503 : 500, "{\"error\": " + Json.quote(e.getMessage())
                + ", \"outcome\": \"not_written\"}");
    }

    private record Answer(int status, String json) {
    }

    private static String error(String message) {
        return "{\"error\": " + Json.quote(message) + "}";
    }

    private static boolean notAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return answer(response, callback, 405, error("use " + allowed));
    }

    private static boolean answer(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, json + "\n", callback);
        return true;
    }
}

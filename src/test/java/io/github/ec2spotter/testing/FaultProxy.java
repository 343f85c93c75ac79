package io.github.ec2spotter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An HTTP endpoint on 127.0.0.1 in front of moto that misbehaves on purpose: for a chosen EC2
 * (or IAM) action it can refuse as IAM does, throttle, fail with a 5xx before or after moto did the work, answer garbage,
 * rewrite moto's answer, or never answer at all. Every other call passes through unchanged.
 */
public final class FaultProxy implements AutoCloseable {
    /** What to do with one call. */
    public sealed interface Fault {
    }

    /** HTTP 503 with EC2's throttling error, without calling moto. */
    public record Throttle() implements Fault {
    }

    /** An HTTP status with an EC2 error body; {@code afterForwarding}: moto did the work first, then the answer is lost. */
    public record ServerError(int status, boolean afterForwarding) implements Fault {
    }

    /** HTTP 200 with a body that is not XML. */
    public record Garbage() implements Fault {
    }

    /** Moto's answer, changed by {@code edit} (a hostile or broken endpoint). */
    public record Rewrite(UnaryOperator<String> edit) implements Fault {
    }

    /** An IAM error answer ({@code ErrorResponse}, as the Query API of IAM sends it), without calling moto. */
    public record IamError(int status, String code, String message) implements Fault {
    }

    /** Accepts the call and never answers. */
    public record Hang() implements Fault {
    }

    private record Rule(String action, AtomicInteger remaining, Fault fault) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final String target;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Instant firstCall;

    private FaultProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A proxy to {@code target} (moto's endpoint). */
    public static FaultProxy to(String target) throws IOException {
        return new FaultProxy(target);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} calls of {@code action} ({@code *}: any action) get {@code fault}. */
    public FaultProxy fail(String action, int times, Fault fault) {
        rules.add(new Rule(action, new AtomicInteger(times), fault));
        return this;
    }

    /** How many calls of an action arrived, faults included. */
    public int calls(String action) {
        return seen.getOrDefault(action, new AtomicInteger()).get();
    }

    /** When the first call arrived: a timing that leaves out the JVM's start. */
    public Instant firstCall() {
        return firstCall;
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String action = action(new String(body, StandardCharsets.UTF_8));
            if (firstCall == null) {
                firstCall = Instant.now();
            }
            seen.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
            Fault fault = take(action);
            if (fault == null) {
                Answer answer = forward(exchange, body);
                send(exchange, answer.status(), answer.body());
                return;
            }
            faultsServed.incrementAndGet();
            if (fault instanceof Throttle) {
                send(exchange, 503, error("RequestLimitExceeded", "Request limit exceeded."));
            } else if (fault instanceof ServerError e) {
                if (e.afterForwarding()) {
                    forward(exchange, body);
                }
                send(exchange, e.status(), error("InternalError", "An internal error has occurred"));
            } else if (fault instanceof IamError e) {
                send(exchange, e.status(), ("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                        + "<Type>Sender</Type><Code>" + e.code() + "</Code><Message>" + e.message() + "</Message></Error>"
                        + "<RequestId>fault-proxy-request</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
            } else if (fault instanceof Garbage) {
                send(exchange, 200, "<html><body>502 Bad Gateway from some proxy</body></html"
                        .getBytes(StandardCharsets.UTF_8));
            } else if (fault instanceof Rewrite r) {
                Answer answer = forward(exchange, body);
                send(exchange, answer.status(), r.edit().apply(new String(answer.body(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                try {
                    closing.await();
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private synchronized Fault take(String action) {
        for (Rule rule : rules) {
            if ((rule.action().equals(action) || rule.action().equals("*")) && rule.remaining().get() > 0) {
                rule.remaining().decrementAndGet();
                return rule.fault();
            }
        }
        return null;
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(target + exchange.getRequestURI()).toURL().openConnection();
        c.setRequestMethod(exchange.getRequestMethod());
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Connection")) {
                values.forEach(v -> c.addRequestProperty(name, v));
            }
        });
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] answer = in == null ? new byte[0] : in.readAllBytes();
        c.disconnect();
        return new Answer(status, answer);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] error(String code, String message) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>fault-proxy-request</RequestID></Response>")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String action(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The local entry point of scripts/dev.java: a reverse proxy on one port that sends each request to the component
 * whose path prefix it starts with, streaming status, headers and body both ways (the local counterpart of the
 * cluster's gateway). Pulled in with {@code //SOURCES lib/DevGateway.java}.
 */
final class DevGateway implements AutoCloseable {

    /** Requests for {@code prefix} and below go to {@code name} on 127.0.0.1:{@code port}. */
    record Route(String prefix, String name, int port) {}

    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the JDK client or server set themselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "date");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final List<Route> routes;
    private final Consumer<String> accessLog;

    private DevGateway(HttpServer server, List<Route> routes, Consumer<String> accessLog) {
        this.server = server;
        this.routes = routes;
        this.accessLog = accessLog;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .executor(executor).build();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Listens on {@code host:port} (loopback by default in dev.java) until {@link #close()}. */
    static DevGateway start(String host, int port, List<Route> routes, Consumer<String> accessLog) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        DevGateway gateway = new DevGateway(server, routes, accessLog);
        server.start();
        return gateway;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    Route route(String path) {
        for (Route r : routes) {
            if (path.equals(r.prefix) || path.startsWith(r.prefix + "/")) {
                return r;
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int status;
        try (exchange) {
            Route route = route(uri.getPath());
            if (route == null) {
                StringBuilder known = new StringBuilder();
                routes.forEach(r -> known.append(known.length() == 0 ? "" : " and ").append(r.prefix).append("/** to ").append(r.name));
                status = error(exchange, 404, "no route for " + uri.getPath() + ": this entry point routes " + known);
            } else {
                status = forward(exchange, route, method, target);
            }
        }
        accessLog.accept(method + " " + target + " " + status + " " + (System.nanoTime() - start) / 1_000_000 + "ms");
    }

    private int forward(HttpExchange exchange, Route route, String method, String target) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + route.port + target))
                .timeout(Duration.ofSeconds(60));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> request.header(h.getKey(), v));
            }
        }
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        request.header("X-Forwarded-Proto", "http");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        request.method(method, body(exchange));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException ex) {
            return error(exchange, 502, route.name + " is not answering on port " + route.port + ": is it running?"
                    + " See its log lines (.dev/logs/" + route.name + ".log).");
        } catch (HttpTimeoutException ex) {
            return error(exchange, 504, route.name + " did not answer within 60 s");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return error(exchange, 503, "the entry point is stopping");
        }
        int status = response.statusCode();
        for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
            if (!h.getKey().startsWith(":") && !NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(h.getKey(), h.getValue());
            }
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (method.equals("HEAD") || status == 204 || status == 304 || length == 0) {
                exchange.sendResponseHeaders(status, -1); // no body
                return status;
            }
            exchange.sendResponseHeaders(status, Math.max(length, 0)); // 0: chunked, as long as it takes
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        return status;
    }

    /** The request body as a stream: with its length when the client gave one, chunked when it sent it so. */
    private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
        String lengthHeader = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding") != null;
        long length = -1;
        if (lengthHeader != null) {
            try {
                length = Long.parseLong(lengthHeader.strip());
            } catch (NumberFormatException ex) {
                length = -1;
            }
        }
        if (length == 0 || (length < 0 && !chunked)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    private static int error(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        return status;
    }
}

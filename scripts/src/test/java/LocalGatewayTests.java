import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local entry point routes as the cluster's nginx (base/gateway/nginx.conf) does: the routes, the body limit,
 * the 404 and the health answer are read from nginx.conf here, so a change to one that the other lacks fails this test.
 * The behaviour is checked through a real LocalGateway in front of two stub services.
 */
class LocalGatewayTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What a stub service saw: method, path with query, headers (lower case), body length. */
    record Seen(String service, String method, String pathQuery, Map<String, String> headers, int bodyBytes) {}

    static final List<Seen> seen = new CopyOnWriteArrayList<>();
    static HttpServer s1;
    static HttpServer s2;
    static LocalGateway gateway;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        s1 = stub("s1");
        s2 = stub("s2");
        gateway = LocalGateway.start("127.0.0.1", 0,
                LocalGateway.routes(s1.getAddress().getPort(), s2.getAddress().getPort()));
        base = "http://127.0.0.1:" + gateway.port();
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        s1.stop(0);
        s2.stop(0);
    }

    @Test
    void routesBodyLimitNotFoundAndHealthAreNginxs() throws IOException {
        String conf = nginxConf();
        Matcher limit = Pattern.compile("client_max_body_size\\s+(\\d+)k;").matcher(conf);
        assertThat(limit.find()).as("client_max_body_size in nginx.conf").isTrue();
        assertThat(LocalGateway.BODY_LIMIT).isEqualTo(Long.parseLong(limit.group(1)) * 1024);

        Map<String, String> nginxRoutes = new LinkedHashMap<>();
        Matcher location = Pattern.compile("location\\s+(/[^\\s{]*)\\s*\\{\\s*proxy_pass\\s+http://([a-z0-9-]+):(\\d+);").matcher(conf);
        while (location.find()) {
            nginxRoutes.put(location.group(1), location.group(2) + ":" + location.group(3));
        }
        Map<String, String> ours = new LinkedHashMap<>();
        LocalGateway.routes(30000, 30001).forEach(r -> ours.put(r.prefix(), r.name() + ":" + r.port()));
        assertThat(ours).as("LocalGateway.routes(s1 port, s2 port) against nginx.conf's proxy_pass locations")
                .containsExactlyInAnyOrderEntriesOf(nginxRoutes);

        assertThat(conf).contains("location / {").contains("return 404 '" + LocalGateway.NO_ROUTE + "';");
        assertThat(conf).contains("location = " + LocalGateway.HEALTH_PATH + " {").contains("return 200 \"ok\\n\";");
        List<String> headers = new ArrayList<>();
        Matcher set = Pattern.compile("proxy_set_header\\s+(\\S+)\\s").matcher(conf);
        while (set.find()) {
            headers.add(set.group(1));
        }
        assertThat(headers).as("the headers nginx sets, which LocalGateway sets too").contains("Host", "X-Forwarded-For")
                .allMatch(h -> List.of("Host", "X-Forwarded-For", "X-Request-Id").contains(h));
        assertThat(conf).contains("proxy_set_header Host $http_host;").contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .doesNotContain("proxy_set_header Host $host;");
    }

    @Test
    void prefixesGoToTheirServiceWithPathAndQueryUnchanged() throws Exception {
        HttpResponse<String> music = send("GET", "/api/v1/music/6ecfafd0?limit=2&next=a%2Fb", null, Map.of());
        assertThat(music.statusCode()).isEqualTo(200);
        Seen atS2 = last("s2");
        assertThat(atS2.pathQuery()).isEqualTo("/api/v1/music/6ecfafd0?limit=2&next=a%2Fb");
        // a prefix location, as nginx's: /api/v1/users matches /api/v1/user
        assertThat(send("GET", "/api/v1/users", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(last("s1").pathQuery()).isEqualTo("/api/v1/users");
        HttpResponse<String> created = send("POST", "/api/v1/user", "{\"fname\":\"a\"}", Map.of("Content-Type", "application/json"));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(last("s1").bodyBytes()).isEqualTo(13);
    }

    @Test
    void anythingElseIsNginxsJson404AndHealthzAnswersOk() throws Exception {
        int before = seen.size();
        HttpResponse<String> none = send("GET", "/api/v1/datastore/read", null, Map.of());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).isEqualTo(LocalGateway.NO_ROUTE);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(send("GET", "/", null, Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<String> health = send("GET", "/healthz", null, Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(seen).hasSize(before);
    }

    @Test
    void forwardedForIsAppendedHostIsPassedAsItCameAndARequestIdIsMadeWhenMissing() throws Exception {
        send("GET", "/api/v1/music/x", null, Map.of("X-Forwarded-For", "203.0.113.7"));
        Seen first = last("s2");
        assertThat(first.headers()).containsEntry("x-forwarded-for", "203.0.113.7, 127.0.0.1").containsEntry("host", "127.0.0.1:" + gateway.port());
        assertThat(first.headers().get("x-request-id")).matches("[0-9a-f]{32}");

        send("GET", "/api/v1/music/x", null, Map.of("X-Request-Id", "abc-123"));
        Seen second = last("s2");
        assertThat(second.headers()).containsEntry("x-request-id", "abc-123").containsEntry("x-forwarded-for", "127.0.0.1");
    }

    @Test
    void aBodyOverTheLimitIs413JsonAndNeverReachesTheService() throws Exception {
        int before = seen.size();
        HttpResponse<String> tooBig = send("POST", "/api/v1/music/", "a".repeat((int) LocalGateway.BODY_LIMIT + 1),
                Map.of("Content-Type", "application/json"));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).isEqualTo("{\"error\":\"request body larger than 64k\"}");
        assertThat(seen).hasSize(before);
        assertThat(send("POST", "/api/v1/music/", "a".repeat((int) LocalGateway.BODY_LIMIT), Map.of()).statusCode()).isEqualTo(200);
        assertThat(last("s2").bodyBytes()).isEqualTo(LocalGateway.BODY_LIMIT);
    }

    @Test
    void statusHeadersAndLargeBodiesComeBackUnchanged() throws Exception {
        HttpResponse<String> unavailable = send("GET", "/api/v1/music/status/503", null, Map.of());
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(unavailable.body()).isEqualTo("{\"error\":\"datastore unavailable\"}");
        HttpResponse<String> big = send("GET", "/api/v1/music/big", null, Map.of());
        assertThat(big.body()).hasSize(1 << 20);
    }

    @Test
    void aServiceThatDoesNotAnswerIs502JsonNamingIt() throws Exception {
        int closed = TestPorts.free();
        LocalGateway alone = LocalGateway.start("127.0.0.1", 0, LocalGateway.routes(closed, closed));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + alone.port() + "/api/v1/music/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("{\"error\":\"s2 is not answering on port " + closed + ": see .dev/logs/s2.log\"}");
        } finally {
            alone.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static String nginxConf() throws IOException {
        return Files.readString(ROOT.resolve("base/gateway/nginx.conf"));
    }

    static HttpServer stub(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            seen.add(new Seen(name, exchange.getRequestMethod(), path + (query == null ? "" : "?" + query), headers, body.length));
            byte[] answer;
            int status = 200;
            if (path.endsWith("/status/503")) {
                status = 503;
                exchange.getResponseHeaders().set("Retry-After", "2");
                answer = "{\"error\":\"datastore unavailable\"}".getBytes(StandardCharsets.UTF_8);
            } else if (path.endsWith("/big")) {
                answer = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            } else {
                answer = ("{\"service\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    static Seen last(String service) {
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).service().equals(service)) {
                return seen.get(i);
            }
        }
        throw new AssertionError("nothing reached " + service);
    }

    static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

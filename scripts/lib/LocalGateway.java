import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The local stack's entry point, {@code gateway}: Jetty 12's reverse proxy ({@code ProxyHandler.Reverse}, non-blocking
 * on both sides, the proxy of a server that is maintained and used in production) routing exactly as
 * {@code base/gateway}'s nginx does: the same prefixes, {@code /healthz}, {@code {"error":"no route"}} with a 404 for
 * anything else, the same body limit, {@code X-Forwarded-For} appended, the client's {@code Host} header as it came,
 * and an {@code X-Request-Id} made when the client sent none. {@code LocalGatewayTests} reads nginx.conf and fails when the
 * two differ. Runs as its own process (the local stack starts it like any other component):
 * {@code java -cp <classpath> LocalGateway <port> /api/v1/user=s1:30000 /api/v1/music=s2:30001}.
 */
public final class LocalGateway {

    /** Requests whose path starts with {@code prefix} (nginx's prefix {@code location}) go to 127.0.0.1:{@code port}. */
    record Route(String prefix, String name, int port) {}

    /** nginx's {@code client_max_body_size 64k}. */
    static final long BODY_LIMIT = 64 * 1024;
    /** nginx's {@code location /} answer. */
    static final String NO_ROUTE = "{\"error\":\"no route\"}";
    static final String HEALTH_PATH = "/healthz";
    static final String REQUEST_ID = "X-Request-Id";

    private final Server server;

    private LocalGateway(Server server) {
        this.server = server;
    }

    /** The routes of base/gateway, to s1 and s2 on these ports. */
    static List<Route> routes(int s1Port, int s2Port) {
        return List.of(new Route("/api/v1/user", "s1", s1Port), new Route("/api/v1/music", "s2", s2Port));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalGateway <port> <prefix>=<name>:<port>...: the local stack starts it, see scripts/lib/LocalStack.java.");
            System.exit(2);
        }
        List<Route> routes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] prefixTarget = args[i].split("=", 2);
            String[] nameHost = prefixTarget[1].split(":", 2);
            routes.add(new Route(prefixTarget[0], nameHost[0], Integer.parseInt(nameHost[1])));
        }
        LocalGateway gateway = start("127.0.0.1", Integer.parseInt(args[0]), routes);
        StringBuilder table = new StringBuilder();
        routes.forEach(r -> table.append(table.length() == 0 ? "" : ", ").append(r.prefix).append(" -> ").append(r.name)
                .append(" (").append(r.port).append(")"));
        System.out.println("entry point on http://localhost:" + gateway.port() + ": " + table);
        gateway.server.join();
    }

    /** Listens on {@code host:port} until {@link #close()}. */
    static LocalGateway start(String host, int port, List<Route> routes) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("gateway");
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false); // the service's own Date header is passed on
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        Proxy proxy = new Proxy();
        proxy.setUseServerThreadPool(true);
        SizeLimitHandler limit = new SizeLimitHandler(BODY_LIMIT, -1);
        limit.setHandler(new Router(routes, proxy));
        server.setHandler(limit);
        server.setErrorHandler(new JsonErrors());
        server.setRequestLog((request, response) -> {
            if (!HEALTH_PATH.equals(request.getHttpURI().getPath())) { // nginx: access_log off for /healthz
                System.out.println(request.getMethod() + " " + request.getHttpURI().getPathQuery() + " " + response.getStatus()
                        + " " + NanoTime.millisSince(request.getBeginNanoTime()) + "ms");
            }
        });
        server.start();
        return new LocalGateway(server);
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    void close() throws Exception {
        server.stop();
    }

    /** nginx's location choice: {@code = /healthz}, else the longest matching prefix, else 404. */
    static final class Router extends Handler.Wrapper {
        static final String ROUTE = Router.class.getName() + ".route";
        final List<Route> routes;

        Router(List<Route> routes, Handler proxy) {
            super(proxy);
            this.routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix.length()).reversed()).toList();
        }

        Route route(String path) {
            for (Route r : routes) {
                if (path.startsWith(r.prefix)) {
                    return r;
                }
            }
            return null;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = request.getHttpURI().getCanonicalPath();
            if (path == null) {
                path = "/";
            }
            if (path.equals(HEALTH_PATH)) {
                return answer(response, callback, 200, "text/plain", "ok\n");
            }
            Route route = route(path);
            if (route == null) {
                return answer(response, callback, 404, "application/json", NO_ROUTE);
            }
            request.setAttribute(ROUTE, route);
            return super.handle(request, response, callback);
        }

        static boolean answer(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }

    /** Jetty's reverse proxy with nginx's request headers and JSON errors when a service does not answer. */
    static final class Proxy extends ProxyHandler.Reverse {
        Proxy() {
            super(request -> {
                Route route = (Route) request.getAttribute(Router.ROUTE);
                return HttpURI.build(request.getHttpURI()).scheme("http").host("127.0.0.1").port(route.port).asImmutable();
            });
        }

        @Override
        protected void addProxyHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
            // nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for (Host $http_host: Jetty copies it as it came)
            String remote = Request.getRemoteAddr(clientToProxy);
            String forwarded = clientToProxy.getHeaders().get("X-Forwarded-For");
            boolean hasId = clientToProxy.getHeaders().contains(REQUEST_ID);
            proxyToServer.headers(h -> {
                h.put("X-Forwarded-For", forwarded == null ? remote : forwarded + ", " + remote);
                if (!hasId) {
                    h.put(REQUEST_ID, newRequestId());
                }
            });
        }

        @Override
        protected void onServerToProxyResponseFailure(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer,
                org.eclipse.jetty.client.Response serverToProxy, Response proxyToClient, Callback callback, Throwable failure) {
            Route route = (Route) clientToProxy.getAttribute(Router.ROUTE);
            if (proxyToClient.isCommitted()) {
                callback.failed(failure);
                return;
            }
            boolean timeout = failure instanceof TimeoutException;
            Router.answer(proxyToClient, callback, timeout ? 504 : 502, "application/json", "{\"error\":\"" + route.name
                    + (timeout ? " did not answer in time" : " is not answering on port " + route.port + ": see .dev/logs/" + route.name + ".log")
                    + "\"}");
        }
    }

    /** Like nginx's {@code $request_id}: 32 random hex digits. */
    static String newRequestId() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Errors Jetty answers itself (413 over the body limit, 400 for a malformed request) as JSON. */
    static final class JsonErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() > 0 ? response.getStatus() : 500;
            Object code = request.getAttribute(ERROR_STATUS);
            if (code instanceof Integer c) {
                status = c;
            }
            String reason = status == 413 ? "request body larger than " + BODY_LIMIT / 1024 + "k" : "bad request";
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, "{\"error\":\"" + reason + "\"}", callback);
            return true;
        }
    }
}

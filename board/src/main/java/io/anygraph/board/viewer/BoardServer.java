package io.anygraph.board.viewer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.anygraph.board.events.Logdir;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves the viewer for one logdir on 127.0.0.1 only. Three addresses exist: {@code /} (the
 * page, scripts inline), {@code /api/runs} and {@code /api/run?name=RUN}; a run is looked up
 * among those found by listing the logdir, so no request can read a file outside it, and
 * nothing else is served.
 *
 * <pre>{@code
 * try (BoardServer server = BoardServer.start(Logdir.open("/tmp/logs"), 6006)) {
 *   System.out.println(server.url());   // http://127.0.0.1:6006/
 *   Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class BoardServer implements AutoCloseable {
  private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  private final HttpServer http;
  private final ExecutorService pool;
  private final Logdir logdir;

  private BoardServer(HttpServer http, ExecutorService pool, Logdir logdir) {
    this.http = http;
    this.pool = pool;
    this.logdir = logdir;
  }

  /** Starts serving; port 0 takes any free port. */
  public static BoardServer start(Logdir logdir, int port) throws IOException {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (java.net.BindException e) {
      throw new IOException("port " + port + " on 127.0.0.1 is in use (choose another with --port)", e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "anygraph-board");
      t.setDaemon(true);
      return t;
    });
    BoardServer server = new BoardServer(http, pool, logdir);
    http.createContext("/", server::handle);
    http.setExecutor(pool);
    http.start();
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The address listened on: the loopback one. */
  InetSocketAddress address() {
    return http.getAddress();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  @Override
  public void close() {
    http.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        send(ex, 405, "text/plain", "only GET and HEAD");
        return;
      }
      if (!fromThisMachine(ex)) {
        send(ex, 403, "text/plain", "the board answers requests addressed to 127.0.0.1 only");
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      switch (path) {
        case "/", "/index.html" -> send(ex, 200, "text/html", BoardPage.served());
        case "/api/runs" -> send(ex, 200, "application/json", BoardJson.runs(logdir).toString());
        case "/api/run" -> run(ex);
        default -> send(ex, 404, "text/plain", "not found");
      }
    } catch (IOException | RuntimeException e) {
      if (ex.getResponseCode() < 0) { // nothing sent yet
        send(ex, 500, "application/json", error(String.valueOf(e.getMessage())));
      }
    } finally {
      ex.close();
    }
  }

  private void run(HttpExchange ex) throws IOException {
    String name = query(ex, "name");
    if (name == null || !logdir.runs().contains(name)) {
      send(ex, 404, "application/json", error("no run '" + name + "' in the logdir"));
      return;
    }
    send(ex, 200, "application/json", BoardJson.run(logdir.read(name)).toString());
  }

  /** The Host header names this machine (a page elsewhere can't rebind a name to us). */
  private static boolean fromThisMachine(HttpExchange ex) {
    String host = ex.getRequestHeaders().getFirst("Host");
    if (host == null) {
      return true;
    }
    int colon = host.lastIndexOf(':');
    String name = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    return LOCAL_HOSTS.contains(name);
  }

  private static String query(HttpExchange ex, String key) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(key)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String error(String message) {
    return BoardJson.MAPPER.createObjectNode().put("error", message).toString();
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var h = ex.getResponseHeaders();
    h.set("Content-Type", type + "; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    // the page needs nothing but itself and this server
    h.set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
        + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}

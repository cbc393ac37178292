package io.anygraph.board.viewer;

import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.Run;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the viewer for one logdir on 127.0.0.1 only. Three addresses exist: {@code /} (the page,
 * scripts inline), {@code /api/runs} and {@code /api/run?name=RUN}; a run is looked up among those
 * found by listing the logdir, so no request can read a file outside it, and nothing else is
 * served. Event files are parsed once and then only their appended records (see {@link
 * Logdir#read}); slow or silent clients are dropped after the client timeout and never hold a
 * worker (see {@link ServerLimits}).
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
  private static final InetAddress LOOPBACK = loopback();
  private final Logdir logdir;
  private final HttpListener listener;
  private final InetSocketAddress address;

  /** The JSON last sent for each run, kept while the run is unchanged (the same object). */
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();

  /** Runs being read now: a request for one of them waits for that read, not for a worker. */
  private final Map<String, CompletableFuture<HttpResponse>> reading = new ConcurrentHashMap<>();

  private record Sent(Run run, byte[] json) {}

  private BoardServer(Logdir logdir, int port, ServerLimits limits) throws IOException {
    this.logdir = logdir;
    try {
      this.listener =
          HttpListener.start(new InetSocketAddress(LOOPBACK, port), limits, this::handle);
    } catch (BindException e) {
      throw new IOException(
          "port " + port + " on 127.0.0.1 is in use (choose another with --port)", e);
    }
    this.address = listener.address();
  }

  /** Starts serving with {@link ServerLimits#DEFAULT}; port 0 takes any free port. */
  public static BoardServer start(Logdir logdir, int port) throws IOException {
    return start(logdir, port, ServerLimits.DEFAULT);
  }

  /** Starts serving on 127.0.0.1 with the given limits; port 0 takes any free port. */
  public static BoardServer start(Logdir logdir, int port, ServerLimits limits) throws IOException {
    return new BoardServer(logdir, port, limits);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always a valid address
    }
  }

  public int port() {
    return address.getPort();
  }

  /** The address listened on: 127.0.0.1. */
  InetSocketAddress address() {
    return address;
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  @Override
  public void close() {
    listener.close();
  }

  private CompletableFuture<HttpResponse> handle(HttpRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return done(HttpResponse.text(405, "only GET and HEAD"));
    }
    if (!fromThisMachine(request)) {
      return done(HttpResponse.text(403, "the board answers requests addressed to 127.0.0.1 only"));
    }
    try {
      return switch (request.path()) {
        case "/", "/index.html" ->
            done(
                new HttpResponse(
                    200, "text/html", BoardPage.served().getBytes(StandardCharsets.UTF_8)));
        case "/api/runs" ->
            done(
                HttpResponse.json(
                    200, BoardJson.runs(logdir).toString().getBytes(StandardCharsets.UTF_8)));
        case "/api/run" -> run(request);
        default -> done(HttpResponse.text(404, "not found"));
      };
    } catch (IOException e) {
      return done(failed(e));
    }
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  private static HttpResponse failed(IOException e) {
    return HttpResponse.jsonError(500, "reading the logdir failed: " + e.getMessage());
  }

  private CompletableFuture<HttpResponse> run(HttpRequest request) throws IOException {
    String name;
    try {
      name = request.parameter("name");
    } catch (IllegalArgumentException e) {
      return done(HttpResponse.jsonError(400, "malformed query: " + e.getMessage()));
    }
    if (name == null || !logdir.runs().contains(name)) {
      return done(HttpResponse.jsonError(404, "no run '" + name + "' in the logdir"));
    }
    CompletableFuture<HttpResponse> mine = new CompletableFuture<>();
    CompletableFuture<HttpResponse> running = reading.putIfAbsent(name, mine);
    if (running != null) {
      return running; // four viewers of a big run take one worker, not four
    }
    try {
      mine.complete(HttpResponse.json(200, json(name)));
    } catch (IOException e) {
      mine.complete(failed(e));
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
    } finally {
      reading.remove(name, mine);
    }
    return mine;
  }

  /** The run's JSON, encoded again only if the run changed. */
  private byte[] json(String name) throws IOException {
    Run run = logdir.read(name);
    Sent last = sent.get(name);
    if (last == null || last.run() != run) {
      last = new Sent(run, BoardJson.MAPPER.writeValueAsBytes(BoardJson.run(run)));
      sent.put(name, last);
    }
    return last.json();
  }

  /** The Host header names this machine (a page elsewhere can't rebind a name to us). */
  private static boolean fromThisMachine(HttpRequest request) {
    String host = request.headers().get("host");
    if (host == null) {
      return true;
    }
    int colon = host.lastIndexOf(':');
    String name = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    return LOCAL_HOSTS.contains(name);
  }
}

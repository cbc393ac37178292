package io.anygraph.board.viewer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A small HTTP/1.x server that no client can stall. One I/O thread reads request heads and writes
 * responses without ever blocking (a {@link Selector}); a bounded pool of workers only ever sees
 * complete requests. So a client that sends nothing, sends its request a byte at a time, speaks TLS
 * to this plain port, or never reads its answer, holds a connection slot at most for the client
 * timeout and never a worker. Every response closes its connection.
 */
final class HttpListener implements AutoCloseable {
  /** The I/O thread looks at deadlines at least this often. */
  private static final long TICK_MILLIS = 100;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final ThreadPoolExecutor workers;
  private final Function<HttpRequest, CompletionStage<HttpResponse>> handler;
  private final ServerLimits limits;
  private final long timeoutNanos;

  /** Oldest first: the one to drop when a new client needs a slot. */
  private final Set<Connection> connections = new LinkedHashSet<>();

  /** Responses the workers made, to be started on the I/O thread. */
  private final Queue<Runnable> fromWorkers = new ConcurrentLinkedQueue<>();

  private final Thread io;
  private volatile boolean open = true;

  private enum Phase {
    READING,
    HANDLING,
    WRITING,
    DRAINING
  }

  /** One client: its request head as it arrives, then its response as it leaves. */
  private static final class Connection {
    final SocketChannel channel;
    SelectionKey key;
    Phase phase = Phase.READING;
    final ByteBuffer in;
    ByteBuffer out;
    boolean head;
    long deadline;

    Connection(SocketChannel channel, int maxHead, long deadline) {
      this.channel = channel;
      this.in = ByteBuffer.allocate(maxHead);
      this.deadline = deadline;
    }
  }

  private HttpListener(
      ServerSocketChannel server,
      Selector selector,
      ServerLimits limits,
      Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    this.server = server;
    this.selector = selector;
    this.limits = limits;
    this.handler = handler;
    this.timeoutNanos = limits.clientTimeout().toNanos();
    this.workers =
        new ThreadPoolExecutor(
            limits.workers(),
            limits.workers(),
            0,
            TimeUnit.SECONDS,
            limits.maxQueued() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(limits.maxQueued()),
            r -> daemon(r, "anygraph-board-worker"));
    this.io = daemon(this::loop, "anygraph-board-io");
  }

  /**
   * Listens on {@code address} and answers each complete request with {@code handler}, called on a
   * worker; its answer may come later (a request waiting for another's work holds no worker).
   */
  static HttpListener start(
      InetSocketAddress address,
      ServerLimits limits,
      Function<HttpRequest, CompletionStage<HttpResponse>> handler)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    Selector selector;
    try {
      server.bind(address, 64);
      server.configureBlocking(false);
      selector = Selector.open();
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    HttpListener listener = new HttpListener(server, selector, limits, handler);
    listener.io.start();
    return listener;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) server.getLocalAddress();
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      io.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }

  private void loop() {
    try {
      while (open) {
        selector.select(TICK_MILLIS);
        for (Runnable r; (r = fromWorkers.poll()) != null; ) {
          r.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isAcceptable()) {
            accept();
          } else if (key.isValid()) {
            step((Connection) key.attachment());
          }
        }
        selector.selectedKeys().clear();
        dropLate(System.nanoTime());
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("anygraph board: the server stopped: " + e);
    } finally {
      new ArrayList<>(connections).forEach(this::drop);
      quietly(server);
      quietly(selector);
    }
  }

  private void accept() throws IOException {
    SocketChannel channel = server.accept();
    if (channel == null) {
      return;
    }
    if (connections.size() >= limits.maxConnections() && !dropOldestIdle()) {
      quietly(channel); // every slot has a request being answered: this one must come back
      return;
    }
    channel.configureBlocking(false);
    Connection c = new Connection(channel, limits.maxHeadBytes(), System.nanoTime() + timeoutNanos);
    c.key = channel.register(selector, SelectionKey.OP_READ, c);
    connections.add(c);
  }

  /** Drops the oldest client still sending its request or done with its answer. */
  private boolean dropOldestIdle() {
    for (Connection c : connections) {
      if (c.phase == Phase.READING || c.phase == Phase.DRAINING) {
        drop(c);
        return true;
      }
    }
    return false;
  }

  private void step(Connection c) {
    try {
      if (c.key.isReadable()) {
        read(c);
      }
      if (c.key.isValid() && c.key.isWritable()) {
        write(c);
      }
    } catch (IOException | RuntimeException e) {
      drop(c); // the client went away (or broke something only its own connection needs)
    }
  }

  private void read(Connection c) throws IOException {
    if (c.phase == Phase.DRAINING) { // what a client sent after its answer is discarded
      if (c.channel.read(ByteBuffer.allocate(4096)) < 0) {
        drop(c);
      }
      return;
    }
    int from = Math.max(0, c.in.position() - 3);
    if (c.channel.read(c.in) < 0) {
      drop(c);
      return;
    }
    if (c.in.position() > 0 && (c.in.get(0) < 'A' || c.in.get(0) > 'Z')) {
      respond(c, HttpResponse.text(400, "not an HTTP request (TLS sent to this plain-HTTP port?)"));
      return;
    }
    int end = endOfHead(c.in, from);
    if (end < 0) {
      if (!c.in.hasRemaining()) {
        respond(
            c,
            HttpResponse.text(
                431, "the request line and headers exceed " + limits.maxHeadBytes() + " bytes"));
      }
      return;
    }
    String head = new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1);
    HttpRequest request;
    try {
      request = HttpRequest.parse(head);
    } catch (HttpRequest.BadRequest e) {
      respond(c, HttpResponse.text(400, e.getMessage()));
      return;
    }
    c.head = request.method().equals("HEAD");
    c.phase = Phase.HANDLING;
    c.key.interestOps(0);
    try {
      workers.execute(() -> answer(c, request));
    } catch (RejectedExecutionException e) {
      respond(c, HttpResponse.text(503, "the board is busy; try again"));
    }
  }

  /** Where the blank line ending the head starts, or -1; the search starts at {@code from}. */
  private static int endOfHead(ByteBuffer in, int from) {
    byte[] a = in.array();
    for (int i = from; i + 3 < in.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** On a worker: starts the response, which is handed to the I/O thread once made. */
  private void answer(Connection c, HttpRequest request) {
    CompletionStage<HttpResponse> response;
    try {
      response = handler.apply(request);
    } catch (RuntimeException | Error e) {
      response = CompletableFuture.failedFuture(e);
    }
    response.whenComplete(
        (made, failure) -> {
          HttpResponse r =
              failure == null
                  ? made
                  : HttpResponse.jsonError(500, String.valueOf(failure.getMessage()));
          fromWorkers.add(() -> respond(c, r));
          selector.wakeup();
        });
  }

  private void respond(Connection c, HttpResponse response) {
    if (!c.channel.isOpen()) {
      return;
    }
    c.out = ByteBuffer.wrap(response.bytes(c.head));
    c.phase = Phase.WRITING;
    c.deadline = System.nanoTime() + timeoutNanos;
    c.key.interestOps(SelectionKey.OP_WRITE);
  }

  private void write(Connection c) throws IOException {
    if (c.channel.write(c.out) > 0) {
      c.deadline = System.nanoTime() + timeoutNanos; // progress: the client is reading
    }
    if (!c.out.hasRemaining()) {
      // half-close and read until the client closes: closing at once could reset the
      // connection and lose the answer if the client sent more than we read
      c.channel.shutdownOutput();
      c.phase = Phase.DRAINING;
      c.key.interestOps(SelectionKey.OP_READ);
    }
  }

  private void dropLate(long now) {
    List<Connection> late = new ArrayList<>();
    for (Connection c : connections) {
      if (c.phase != Phase.HANDLING && now - c.deadline > 0) {
        late.add(c);
      }
    }
    late.forEach(this::drop);
  }

  private void drop(Connection c) {
    connections.remove(c);
    c.key.cancel();
    quietly(c.channel);
  }

  private static void quietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing what is already broken
    }
  }
}

package io.anygraph.spark.ring;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One task's end of a ring all-reduce over TCP: N tasks, task r sends to task r+1 and receives from
 * task r−1 (mod N). The buffer is cut into N chunks (chunk k: elements {@code [len k / N, len (k +
 * 1) / N)}); N−1 reduce-scatter steps leave task r with the sum of chunk r+1, N−1 all-gather steps
 * pass the sums on, so each task sends and receives 2(N−1)/N of the buffer.
 *
 * <p><b>Summation order</b>: chunk k is summed starting at task k and going round the ring, {@code
 * ((p_k + p_{k+1}) + p_{k+2}) + … + p_{k−1}} (indices mod N), the same on every run for the same N;
 * every task ends with the same bits.
 *
 * <p><b>Failures</b>: every accept, connect, read and send waits at most {@code timeoutMillis}; a
 * dead or stuck neighbour fails the call with the neighbour's address instead of hanging, so the
 * barrier stage fails as a whole.
 *
 * <pre>{@code
 * try (RingAllReduce ring = RingAllReduce.open(host, 60_000)) {
 *   Seat seat = new Seat(attempt, rank, tasks, ring.address());
 *   ring.connect(RingRendezvous.join(rendezvous, seat, 60_000, () -> false), rank);
 *   ring.allReduce(buffer); // buffer now holds the sum over all tasks
 * }
 * }</pre>
 */
public final class RingAllReduce implements Closeable {
  /**
   * The Spark configuration key of how long a ring task waits for its neighbour (accept, connect,
   * each chunk) and for the driver's rendezvous before failing the barrier stage, which Spark then
   * reruns as a whole (a new stage attempt).
   */
  public static final String TIMEOUT_KEY = "spark.anygraph.ring.timeout";

  /** {@link #TIMEOUT_KEY}'s default. */
  public static final String DEFAULT_TIMEOUT = "120s";

  private final ServerSocket server;
  private final int timeoutMillis;
  private final ExecutorService sender;
  private Socket next;
  private Socket previous;
  private DataOutputStream out;
  private DataInputStream in;
  private int rank;
  private int size = 1;
  private String nextAddress = "";
  private String previousAddress = "";

  private RingAllReduce(ServerSocket server, int timeoutMillis) {
    this.server = server;
    this.timeoutMillis = timeoutMillis;
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "anygraph-ring-send");
              t.setDaemon(true);
              return t;
            });
  }

  /** Listens on an ephemeral port of {@code host} (the executor's address the peers can reach). */
  public static RingAllReduce open(String host, int timeoutMillis) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      s.setSoTimeout(timeoutMillis);
      return new RingAllReduce(s, timeoutMillis);
    } catch (IOException e) {
      throw new UncheckedIOException("Ring all-reduce: cannot listen on " + host, e);
    }
  }

  /** {@code host:port} the ring neighbour connects to. */
  public String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /**
   * Joins the ring: connects to the task after {@code rank} in {@code addresses} (every task's
   * {@link #address}, in task order) and accepts the one before it. Nothing to do for one task.
   */
  public void connect(List<String> addresses, int rank) {
    this.rank = rank;
    this.size = addresses.size();
    if (size == 1) {
      return;
    }
    nextAddress = addresses.get((rank + 1) % size);
    previousAddress = addresses.get((rank + size - 1) % size);
    try {
      int colon = nextAddress.lastIndexOf(':');
      next = new Socket();
      next.setTcpNoDelay(true);
      next.connect(
          new InetSocketAddress(
              nextAddress.substring(0, colon), Integer.parseInt(nextAddress.substring(colon + 1))),
          timeoutMillis);
      out = new DataOutputStream(new BufferedOutputStream(next.getOutputStream(), 1 << 16));
      out.writeInt(rank); // the neighbour checks who connected
      out.flush();
      previous = server.accept();
      previous.setSoTimeout(timeoutMillis);
      in = new DataInputStream(new BufferedInputStream(previous.getInputStream(), 1 << 16));
      int from = in.readInt();
      if (from != (rank + size - 1) % size) {
        throw new IOException("expected task " + (rank + size - 1) % size + ", got task " + from);
      }
    } catch (IOException e) {
      throw failure("joining the ring (next " + nextAddress + ")", e);
    }
  }

  /** Replaces {@code buffer} by its element-wise sum over the ring's tasks. */
  public void allReduce(float[] buffer) {
    for (int s = 0; s < size - 1; s++) { // reduce-scatter: chunk (r - s) goes on, (r - s - 1) adds
      exchange(buffer, chunk(rank - s), chunk(rank - s - 1), true);
    }
    for (int s = 0; s < size - 1; s++) { // all-gather: the finished chunk (r + 1 - s) goes round
      exchange(buffer, chunk(rank + 1 - s), chunk(rank - s), false);
    }
  }

  private int chunk(int k) {
    return Math.floorMod(k, size);
  }

  private static int from(int len, int k, int n) {
    return (int) ((long) len * k / n);
  }

  /** Sends chunk {@code send} while receiving chunk {@code receive} (added or copied in). */
  private void exchange(float[] buffer, int send, int receive, boolean add) {
    int len = buffer.length;
    int sendFrom = from(len, send, size);
    int sendTo = from(len, send + 1, size);
    Future<?> sending = sender.submit(() -> write(buffer, send, sendFrom, sendTo));
    int from = from(len, receive, size);
    int to = from(len, receive + 1, size);
    try {
      int chunk = in.readInt();
      int count = in.readInt();
      if (chunk != receive || count != to - from) {
        throw new IOException(
            "expected chunk "
                + receive
                + " of "
                + (to - from)
                + " floats, got chunk "
                + chunk
                + " of "
                + count);
      }
      byte[] bytes = new byte[count * Float.BYTES];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < to; i++) {
        float v = b.getFloat();
        // received first: the partial sum that came round the ring, then this task's value
        buffer[i] = add ? v + buffer[i] : v;
      }
      sending.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw failure("receiving chunk " + receive + " from " + previousAddress, e);
    } catch (ExecutionException e) {
      throw failure("sending chunk " + send + " to " + nextAddress, e.getCause());
    } catch (TimeoutException e) {
      throw failure("sending chunk " + send + " to " + nextAddress, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while exchanging with " + nextAddress, e);
    }
  }

  private void write(float[] buffer, int chunk, int from, int to) {
    try {
      ByteBuffer b = ByteBuffer.allocate((to - from) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = from; i < to; i++) {
        b.putFloat(buffer[i]);
      }
      out.writeInt(chunk);
      out.writeInt(to - from);
      out.write(b.array());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RingAllReduce.Failure failure(String what, Throwable cause) {
    close();
    return new Failure(
        "Ring all-reduce, task " + rank + " of " + size + ": " + what + " failed: " + cause, cause);
  }

  /** A ring step that failed or timed out: the barrier stage fails. */
  public static final class Failure extends RuntimeException {
    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    for (Closeable c : new Closeable[] {next, previous, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException ignored) {
        // closing after a failure: the failure is what is reported
      }
    }
  }
}

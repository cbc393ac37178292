package io.anygraph.spark.ring;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.SparkConf;

/**
 * Where the ring's tasks learn each other's addresses: a socket on the driver that takes every
 * task's {@code (stage attempt, rank, host:port)} and, once all ranks of one attempt have come,
 * answers each of them with all of their addresses, in rank order.
 *
 * <p><b>Attempts</b>: Spark reruns a failed barrier stage as a whole, as a new stage attempt, while
 * tasks of the failed one may still be running (killed, but blocked in a socket call). Tasks of
 * attempt k meet only each other: the first task of a newer attempt closes the older attempt's
 * waiting tasks (they fail at once), and a late task of an older attempt is turned away, so a dead
 * attempt cannot take a rank of a live one. The rendezvous serves every attempt of one job until
 * {@link #close}.
 *
 * <p>Why not {@code BarrierTaskContext.allGather}: Spark's barrier calls poll their answer with
 * {@code Thread.sleep(1000)}, so each one costs a second per step (measured: 1.0 s of barrier-mode
 * overhead per step on {@code local[2]}); this costs one round trip to the driver.
 *
 * <pre>{@code
 * try (RingRendezvous r = RingRendezvous.open(driverHost, tasks, 60_000)) {
 *   String at = r.address();               // shipped to the tasks with the job
 *   ... // each task: RingRendezvous.join(at, new Seat(attempt, rank, tasks, ring.address()),
 *       //                                60_000, ctx::isInterrupted)
 * }
 * }</pre>
 */
public final class RingRendezvous implements Closeable {
  /** How often a waiting task checks whether it was abandoned (its stage attempt killed). */
  private static final int POLL_MILLIS = 200;

  private final ServerSocket server;
  private final int tasks;
  private final int timeoutMillis;
  private final Thread answering;
  private volatile IOException failure;

  /** One task's place in one stage attempt of the ring, and the address its neighbour dials. */
  public record Seat(int attempt, int rank, int tasks, String address) {}

  private RingRendezvous(ServerSocket server, int tasks, int timeoutMillis) {
    this.server = server;
    this.tasks = tasks;
    this.timeoutMillis = timeoutMillis;
    this.answering = new Thread(this::answer, "anygraph-ring-rendezvous");
    answering.setDaemon(true);
    answering.start();
  }

  /**
   * Listens on {@code host} for one job's {@code tasks} tasks, in as many stage attempts as Spark
   * runs; a task that connects must send its seat within the timeout.
   */
  public static RingRendezvous open(String host, int tasks, int timeoutMillis) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName(host), 0), tasks);
      return new RingRendezvous(s, tasks, timeoutMillis);
    } catch (IOException e) {
      throw new UncheckedIOException("Ring rendezvous: cannot listen on " + host, e);
    }
  }

  /** {@code host:port} the tasks connect to. */
  public String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  /** Accepts tasks until closed; answers each attempt once all its ranks have joined. */
  private void answer() {
    Socket[] waiting = new Socket[tasks];
    String[] addresses = new String[tasks];
    int attempt = -1;
    int joined = 0;
    try {
      while (true) {
        Socket s = server.accept(); // throws once close() closes the server
        Seat seat;
        try {
          s.setSoTimeout(timeoutMillis);
          DataInputStream in = new DataInputStream(s.getInputStream());
          seat = new Seat(in.readInt(), in.readInt(), tasks, in.readUTF());
        } catch (IOException e) { // a task that died mid-message: it is not waiting
          closeQuietly(s);
          continue;
        }
        if (seat.attempt() < attempt) { // a late task of a dead attempt
          closeQuietly(s);
          continue;
        }
        if (seat.attempt() > attempt) { // a new attempt: the older one's tasks are dead
          closeAll(waiting);
          attempt = seat.attempt();
          joined = 0;
        }
        if (seat.rank() < 0 || seat.rank() >= tasks || waiting[seat.rank()] != null) {
          closeQuietly(s);
          failure =
              new IOException(
                  "task rank "
                      + seat.rank()
                      + " of "
                      + tasks
                      + " joined attempt "
                      + attempt
                      + " twice or is out of range");
          continue;
        }
        waiting[seat.rank()] = s;
        addresses[seat.rank()] = seat.address();
        if (++joined == tasks) {
          for (Socket w : waiting) {
            tell(w, addresses);
          }
          closeAll(waiting);
          joined = 0;
        }
      }
    } catch (IOException closed) {
      // close(): the job is over
    } finally {
      closeAll(waiting);
    }
  }

  private static void tell(Socket task, String[] addresses) {
    try {
      DataOutputStream out = new DataOutputStream(task.getOutputStream());
      for (String a : addresses) {
        out.writeUTF(a);
      }
      out.flush();
    } catch (IOException e) {
      // that task died after joining: its neighbours fail to reach it, and the attempt with them
    }
  }

  private static void closeAll(Socket[] sockets) {
    for (int i = 0; i < sockets.length; i++) {
      closeQuietly(sockets[i]);
      sockets[i] = null;
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException ignored) {
      // closing: the task has its answer or fails on the closed connection
    }
  }

  /**
   * A task's side: sends its seat to the rendezvous at {@code rendezvous} and returns the ring
   * addresses of every task of its attempt, in rank order. Waits at most {@code timeoutMillis} for
   * the others, and gives up within {@value #POLL_MILLIS} ms once {@code abandoned} says so (Spark
   * killed the task because its stage attempt failed), so a dead attempt frees its task slots for
   * the next one.
   */
  public static List<String> join(
      String rendezvous, Seat seat, int timeoutMillis, BooleanSupplier abandoned) {
    int colon = rendezvous.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              rendezvous.substring(0, colon), Integer.parseInt(rendezvous.substring(colon + 1))),
          timeoutMillis);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(seat.attempt());
      out.writeInt(seat.rank());
      out.writeUTF(seat.address());
      out.flush();
      BufferedInputStream answer = new BufferedInputStream(s.getInputStream());
      awaitFirstByte(s, answer, timeoutMillis, abandoned);
      s.setSoTimeout(timeoutMillis);
      DataInputStream in = new DataInputStream(answer);
      List<String> all = new ArrayList<>();
      for (int i = 0; i < seat.tasks(); i++) {
        all.add(in.readUTF());
      }
      return all;
    } catch (IOException e) {
      throw new RingAllReduce.Failure(
          "Ring all-reduce, task "
              + seat.rank()
              + " of "
              + seat.tasks()
              + " (stage attempt "
              + seat.attempt()
              + "): the rendezvous at "
              + rendezvous
              + " on the driver did not answer: "
              + e,
          e);
    }
  }

  /** Waits for the answer's first byte in short polls, so that a killed task stops waiting. */
  private static void awaitFirstByte(
      Socket s, BufferedInputStream in, int timeoutMillis, BooleanSupplier abandoned)
      throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    s.setSoTimeout(Math.min(POLL_MILLIS, timeoutMillis));
    while (true) {
      in.mark(1);
      try {
        if (in.read() < 0) {
          throw new IOException("the rendezvous closed the connection (a newer attempt began)");
        }
        in.reset();
        return;
      } catch (SocketTimeoutException e) {
        if (abandoned.getAsBoolean()) {
          throw new IOException("the task was killed: its stage attempt failed", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("no answer within " + timeoutMillis + " ms", e);
        }
      }
    }
  }

  /** Why a task was turned away as a duplicate or out of range, or null. */
  public IOException failure() {
    return failure;
  }

  /** The host the driver's executors reach it at: Spark's own {@code spark.driver.host}. */
  public static String driverHost(SparkConf conf) {
    return conf.get("spark.driver.host", "127.0.0.1");
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing listens any more either way
    }
    answering.interrupt();
  }
}

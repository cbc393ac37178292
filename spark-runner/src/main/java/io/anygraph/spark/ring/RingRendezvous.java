package io.anygraph.spark.ring;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * Where the ring's tasks learn each other's addresses: a socket on the driver that takes every
 * task's {@code (rank, host:port)} and answers each with all of them, in rank order.
 *
 * <p>Why not {@code BarrierTaskContext.allGather}: Spark's barrier calls poll their answer with
 * {@code Thread.sleep(1000)}, so each one costs a second per step (measured: 1.0 s of barrier-mode
 * overhead per step on {@code local[2]}); this costs one round trip to the driver.
 *
 * <pre>{@code
 * try (RingRendezvous r = RingRendezvous.open(driverHost, tasks, 60_000)) {
 *   String at = r.address();               // shipped to the tasks with the job
 *   ... // each task: RingRendezvous.join(at, rank, ring.address(), 60_000)
 * }
 * }</pre>
 */
public final class RingRendezvous implements Closeable {
  private final ServerSocket server;
  private final Thread answering;
  private volatile IOException failure;

  private RingRendezvous(ServerSocket server, int tasks) {
    this.server = server;
    this.answering = new Thread(() -> answer(tasks), "anygraph-ring-rendezvous");
    answering.setDaemon(true);
    answering.start();
  }

  /** Listens on {@code host} for one job's {@code tasks} tasks, each accept within the timeout. */
  public static RingRendezvous open(String host, int tasks, int timeoutMillis) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName(host), 0), tasks);
      s.setSoTimeout(timeoutMillis);
      return new RingRendezvous(s, tasks);
    } catch (IOException e) {
      throw new UncheckedIOException("Ring rendezvous: cannot listen on " + host, e);
    }
  }

  /** {@code host:port} the tasks connect to. */
  public String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  private void answer(int tasks) {
    Socket[] peers = new Socket[tasks];
    String[] addresses = new String[tasks];
    try {
      for (int i = 0; i < tasks; i++) {
        Socket s = server.accept();
        DataInputStream in = new DataInputStream(s.getInputStream());
        int rank = in.readInt();
        if (rank < 0 || rank >= tasks || peers[rank] != null) {
          s.close();
          throw new IOException(
              "task rank " + rank + " of " + tasks + " joined twice or is out of range");
        }
        peers[rank] = s;
        addresses[rank] = in.readUTF();
      }
      for (Socket s : peers) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        for (String a : addresses) {
          out.writeUTF(a);
        }
        out.flush();
      }
    } catch (IOException e) {
      failure = e; // the tasks that joined see their connection close and fail the stage
    } finally {
      for (Socket s : peers) {
        try {
          if (s != null) {
            s.close();
          }
        } catch (IOException ignored) {
          // closing: the tasks have their answer or will fail
        }
      }
    }
  }

  /**
   * A task's side: sends its rank and ring address to the rendezvous at {@code rendezvous} and
   * returns every task's ring address, in rank order.
   */
  public static List<String> join(
      String rendezvous, int rank, int tasks, String address, int timeoutMillis) {
    int colon = rendezvous.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              rendezvous.substring(0, colon), Integer.parseInt(rendezvous.substring(colon + 1))),
          timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeInt(rank);
      out.writeUTF(address);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      List<String> all = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        all.add(in.readUTF());
      }
      return all;
    } catch (IOException e) {
      throw new RingAllReduce.Failure(
          "Ring all-reduce, task "
              + rank
              + " of "
              + tasks
              + ": the rendezvous at "
              + rendezvous
              + " on the driver did not answer: "
              + e,
          e);
    }
  }

  /** Why the rendezvous failed (a task that joined twice, a task that never came), or null. */
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

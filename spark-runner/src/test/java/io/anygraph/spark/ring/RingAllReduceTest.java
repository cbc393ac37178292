package io.anygraph.spark.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ring all-reduce among threads of this JVM over loopback sockets: every task ends with the
 * element-wise sum, each chunk summed in the documented order, and a silent neighbour fails the
 * ring instead of hanging it.
 */
class RingAllReduceTest {
  private static final String HOST = "127.0.0.1";

  /** Runs the ring on {@code inputs.length} threads; each thread's buffer after the all-reduce. */
  private static float[][] ring(float[][] inputs) throws Exception {
    int n = inputs.length;
    List<RingAllReduce> rings = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      rings.add(RingAllReduce.open(HOST, 10_000));
      addresses.add(rings.get(r).address());
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<float[]>> out = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        out.add(
            pool.submit(
                () -> {
                  try (RingAllReduce ring = rings.get(rank)) {
                    float[] b = inputs[rank].clone();
                    ring.connect(addresses, rank);
                    ring.allReduce(b);
                    return b;
                  }
                }));
      }
      float[][] result = new float[n][];
      for (int r = 0; r < n; r++) {
        result[r] = out.get(r).get();
      }
      return result;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The documented order written out: element i of chunk k ({@code [len k / n, len (k+1) / n)}) is
   * {@code ((p_k + p_{k+1}) + …) + p_{k-1}}, indices mod n.
   */
  private static float[] inRingOrder(float[][] p) {
    int n = p.length;
    int len = p[0].length;
    float[] want = new float[len];
    for (int k = 0; k < n; k++) {
      for (int i = len * k / n; i < len * (k + 1) / n; i++) {
        float s = p[k][i];
        for (int j = 1; j < n; j++) {
          s = s + p[(k + j) % n][i];
        }
        want[i] = s;
      }
    }
    return want;
  }

  @Test
  void smallIntegersSumExactlyOnEveryTask() throws Exception {
    // 3 tasks, 7 elements: chunks of 2, 2 and 3 elements; integer sums are exact in float32
    float[][] in = {
      {1, 2, 3, 4, 5, 6, 7},
      {10, 20, 30, 40, 50, 60, 70},
      {100, 200, 300, 400, 500, 600, 700}
    };
    float[] want = {111, 222, 333, 444, 555, 666, 777};
    for (float[] got : ring(in)) {
      assertArrayEquals(want, got);
    }
  }

  @Test
  void eachChunkIsSummedInTheDocumentedOrderBitForBit() throws Exception {
    Random rnd = new Random(5);
    for (int n = 1; n <= 4; n++) {
      for (int len : new int[] {1, 3, 10, 1001}) { // fewer elements than tasks, uneven chunks
        float[][] in = new float[n][len];
        for (float[] row : in) {
          for (int i = 0; i < len; i++) { // magnitudes apart, so the order shows in the bits
            row[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8)));
          }
        }
        float[] want = inRingOrder(in);
        for (float[] got : ring(in)) {
          assertArrayEquals(want, got, n + " tasks, " + len + " elements");
        }
      }
    }
  }

  @Test
  void aHandWorkedChunkStartsAtItsOwnTask() throws Exception {
    // 3 tasks, 2 elements: chunk 0 is empty, chunk 1 is element 0, chunk 2 is element 1.
    // Element 1 is summed from task 2: (-1e8 + 1e8) + 1 = 1; in ascending task order it would be
    // (1e8 + 1) + -1e8 = 0, since 1e8 + 1 rounds to 1e8 in float32.
    float[][] p = {{0f, 1e8f}, {0f, 1f}, {0f, -1e8f}};
    for (float[] got : ring(p)) {
      assertEquals(1f, got[1]);
    }
  }

  @Test
  void aNeighbourThatStopsSendingFailsTheRingWithItsAddress() throws Exception {
    try (RingAllReduce task0 = RingAllReduce.open(HOST, 300);
        ServerSocket task1 = new ServerSocket()) {
      task1.bind(new InetSocketAddress(HOST, 0));
      String address1 = HOST + ":" + task1.getLocalPort();
      try (Socket toTask0 = new Socket(HOST, Integer.parseInt(task0.address().split(":")[1]))) {
        new DataOutputStream(toTask0.getOutputStream()).writeInt(1); // joins, then sends nothing
        Thread accept =
            new Thread(
                () -> {
                  try (Socket fromTask0 = task1.accept()) {
                    new DataInputStream(fromTask0.getInputStream()).readInt();
                    Thread.sleep(5_000); // alive but silent: only task 0's timeout ends this
                  } catch (Exception ignored) {
                    // task 0 closed the connection
                  }
                });
        accept.setDaemon(true);
        accept.start();
        task0.connect(List.of(task0.address(), address1), 0);
        RingAllReduce.Failure f =
            assertThrows(RingAllReduce.Failure.class, () -> task0.allReduce(new float[] {1, 2}));
        assertTrue(
            f.getMessage().contains("task 0 of 2") && f.getMessage().contains(address1),
            f.getMessage());
      }
    }
  }
}

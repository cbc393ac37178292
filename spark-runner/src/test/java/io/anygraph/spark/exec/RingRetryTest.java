package io.anygraph.spark.exec;

import static io.anygraph.spark.exec.ShardedExchangeTest.net;
import static io.anygraph.spark.exec.ShardedExchangeTest.variables;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.Session;
import io.anygraph.core.train.Adam;
import io.anygraph.data.Dataset;
import io.anygraph.data.IdxDecoder;
import io.anygraph.data.IdxPair;
import io.anygraph.data.IdxReader;
import io.anygraph.spark.LocalSpark;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exec.ShardedExchangeTest.Net;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ring's barrier stage retried as a whole on {@code local[2]}: the examples are read from IDX
 * files by a decoder that fails in partition 1 of the first stage attempt that reads them (the
 * first step's barrier stage: the blocks are cached lazily), as a flaky file system would.
 * Partition 0 has then joined the driver's rendezvous and waits; Spark kills it and reruns the
 * stage as attempt 1. Four Adam steps must end bit-identical to the same run with a decoder that
 * never fails. Nothing in the runner knows about the fault: it comes from the user's decoder.
 */
class RingRetryTest {
  private static final long SEED = 7;
  private static final int BATCH = 64;
  private static final int EXAMPLES = 300;
  private static final int FEATURES = 5;

  /** How often the flaky decoder failed: the test runs in one JVM, so the count is exact. */
  private static final AtomicInteger FAILURES = new AtomicInteger();

  @TempDir Path tmp;

  /** The generic decoder, except in partition 1 of a stage's first attempt. */
  private static Dataset failsFirstAttemptOfPartition1(
      IdxReader.Idx x, IdxReader.Idx y, String where, long first) throws IOException {
    TaskContext ctx = TaskContext.get();
    if (ctx != null && ctx.stageAttemptNumber() == 0 && ctx.partitionId() == 1) {
      FAILURES.incrementAndGet();
      throw new IOException("the test's decoder fails partition 1 of attempt 0 (" + where + ")");
    }
    return IdxDecoder.scaledBytes().decode(x, y, where, first);
  }

  @Test
  void aBarrierTaskFailingInTheFirstAttemptIsRetriedAndEndsBitIdentical() throws IOException {
    retriedEqualsUninterrupted(1);
  }

  /** The same under several steps per job: the group's barrier stage is rerun as a whole. */
  @Test
  void aGroupOfStepsFailingInTheFirstAttemptIsRetriedAndEndsBitIdentical() throws IOException {
    retriedEqualsUninterrupted(4);
  }

  /**
   * Separate ring steps with a decoder that never fails against {@code stepsPerJob} steps per job
   * whose first barrier attempt fails in partition 1.
   */
  private void retriedEqualsUninterrupted(int stepsPerJob) throws IOException {
    String x = idx("x", new int[] {EXAMPLES, FEATURES}, features());
    String y = idx("y", new int[] {EXAMPLES}, labels());
    JavaSparkContext sc = LocalSpark.context(); // local[2]
    Map<String, INDArray> uninterrupted = train(sc, new IdxPair(x, y, IdxDecoder.scaledBytes()), 1);
    FAILURES.set(0);
    Map<String, INDArray> retried =
        train(sc, new IdxPair(x, y, RingRetryTest::failsFirstAttemptOfPartition1), stepsPerJob);
    assertEquals(1, FAILURES.get(), "the decoder failed once: the first attempt did fail");
    assertBitIdentical(uninterrupted, retried);
  }

  private static void assertBitIdentical(
      Map<String, INDArray> uninterrupted, Map<String, INDArray> retried) {
    assertEquals(uninterrupted.keySet(), retried.keySet());
    for (String name : uninterrupted.keySet()) {
      assertArrayEquals(
          uninterrupted.get(name).dup('c').data().asFloat(),
          retried.get(name).dup('c').data().asFloat(),
          name + " after the retried step differs from the uninterrupted run");
    }
  }

  private static Map<String, INDArray> train(JavaSparkContext sc, IdxPair pair, int stepsPerJob)
      throws IOException {
    Net n = net(() -> new Adam(0.01));
    SparkRunner runner =
        new SparkRunner(n.g(), sc)
            .bind(ShardedData.idx(sc, pair, 2), Map.of("features", n.x(), "labels", n.y()))
            .exchange(Exchange.RING)
            .stepsPerJob(stepsPerJob);
    try (Session sess = new Session(n.g(), runner)) {
      sess.initializeAllVariables();
      for (int s = 0; s < 4; s++) {
        runner.select(SEED, BATCH, s);
        sess.run(List.of(n.train(), n.loss()), Map.of());
      }
      assertEquals(List.of(), runner.exchangeNotices(), "the steps ran as ring");
      return variables(sess, n.g());
    }
  }

  /** Features 0..255 spread over the records, so every example differs. */
  private static byte[] features() {
    byte[] v = new byte[EXAMPLES * FEATURES];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) (i * 37 % 256);
    }
    return v;
  }

  private static byte[] labels() {
    byte[] v = new byte[EXAMPLES];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) (i % 3);
    }
    return v;
  }

  /** An IDX file of unsigned bytes: magic 0x0000 08 rank, dims, values. */
  private String idx(String name, int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(values);
    return Files.write(tmp.resolve(name), bytes.toByteArray()).toUri().toString();
  }
}

package io.anygraph.spark.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.spark.LocalSpark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ExecutorCacheTest {
  @Test
  void concurrentCallersShareOneBuild() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return ExecutorCache.get(
                    "test",
                    "concurrent",
                    () -> {
                      builds.incrementAndGet();
                      sleep(50); // the others arrive while this one builds
                      return new Object();
                    });
              }));
    }
    start.countDown();
    Object first = results.get(0).get();
    for (Future<Object> f : results) {
      assertSame(first, f.get());
    }
    pool.shutdown();
    assertEquals(1, builds.get());
  }

  @Test
  void aFailedBuildIsNotKeptAndKindsDoNotMix() {
    assertThrows(
        IllegalStateException.class,
        () ->
            ExecutorCache.get(
                "test",
                "fails",
                () -> {
                  throw new IllegalStateException("no");
                }));
    assertFalse(ExecutorCache.contains("test", "fails"));
    assertEquals("second", ExecutorCache.get("test", "fails", () -> "second"));
    assertEquals("other kind", ExecutorCache.get("other", "fails", () -> "other kind"));
    assertEquals("second", ExecutorCache.get("test", "fails", () -> "third"));
  }

  @Test
  void theLeastRecentlyUsedEntriesGoBeyondCapacity() {
    ExecutorCache.clear();
    ExecutorCache.get("lru", "keep", () -> "k");
    for (int i = 0; i < ExecutorCache.CAPACITY; i++) {
      ExecutorCache.get("lru", "keep", () -> "k"); // used again: stays recent
      ExecutorCache.get("lru", "n" + i, () -> "v");
    }
    assertTrue(ExecutorCache.contains("lru", "keep"));
    assertFalse(ExecutorCache.contains("lru", "n0"));
    assertTrue(ExecutorCache.contains("lru", "n" + (ExecutorCache.CAPACITY - 1)));
  }

  @Test
  void tasksOfManyJobsShareOneSessionPerJvm() {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT64, Shape.of(-1), "x");
    var w = g.shared(Nd4j.createFromArray(2.0), "w");
    x.mul(w).add(1.0);
    GraphModel model;
    try (Session s = new Session(g)) {
      model = GraphModel.of(s);
    }
    JavaSparkContext sc = LocalSpark.context();
    Broadcast<GraphModel> shipped = sc.broadcast(model);
    LongAccumulator built = sc.sc().longAccumulator("sessions built");
    List<Integer> ids = new ArrayList<>();
    for (int job = 0; job < 3; job++) {
      ids.addAll(
          sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
              .map(
                  i -> {
                    Session s = shipped.value().session(() -> built.add(1));
                    double y =
                        s.run(
                                s.graph().tensor("add"),
                                Map.of("x", Nd4j.createFromArray((double) i)))
                            .getDouble(0);
                    if (y != 2 * i + 1) {
                      throw new AssertionError("got " + y + " for " + i);
                    }
                    return System.identityHashCode(s);
                  })
              .collect());
    }
    assertEquals(24, ids.size());
    assertEquals(1, new HashSet<>(ids).size()); // local[2]: one executor JVM, one session
    assertEquals(1, built.value());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.anygraph.local.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Graph;
import io.anygraph.core.Variable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An in-place change of a variable's array excludes readers and the start of another run: a reader
 * that arrives mid-change waits and then gets the whole new values, never half of them.
 */
class InPlaceUpdateLockTest {
  private final Graph g = new Graph();
  private final Variable v = g.shared(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0), "v");
  private final VariableStore store = new VariableStore();

  private VariableStore owning() {
    store.writeOwned(v.node(), Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0));
    store.beginRun();
    return store;
  }

  @Test
  void aReadArrivingMidChangeWaitsForTheWholeChange() throws Exception {
    owning();
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread writer =
        new Thread(
            () ->
                store.updateInPlace(
                    v.node(),
                    a -> {
                      a.putScalar(0, 10.0);
                      a.putScalar(1, 20.0);
                      halfWritten.countDown();
                      await(finish);
                      a.putScalar(2, 30.0);
                      a.putScalar(3, 40.0);
                    }));
    writer.start();
    assertTrue(halfWritten.await(30, TimeUnit.SECONDS));
    AtomicReference<double[]> seen = new AtomicReference<>();
    Thread reader = new Thread(() -> seen.set(store.read(v.node()).dup().toDoubleVector()));
    reader.start();
    // the reader must be held at the store's lock while the change is half done
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (reader.getState() != Thread.State.BLOCKED && reader.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "reader neither blocked nor done");
      Thread.sleep(1);
    }
    assertTrue(reader.isAlive(), "the reader got the array while it was half written");
    finish.countDown();
    writer.join();
    reader.join();
    assertArrayEquals(new double[] {10, 20, 30, 40}, seen.get());
  }

  @Test
  void afterAReadOutTheArrayIsNeverChangedInPlace() {
    owning();
    INDArray out = store.read(v.node());
    assertNull(store.updateInPlace(v.node(), a -> a.putScalar(0, 99.0)));
    assertArrayEquals(new double[] {1, 2, 3, 4}, out.toDoubleVector());
  }

  @Test
  void onlyARunThatIsAloneChangesInPlace() {
    owning();
    store.beginRun(); // a second run
    assertNull(store.updateInPlace(v.node(), a -> a.putScalar(0, 99.0)));
    store.endRun();
    assertNotNull(store.updateInPlace(v.node(), a -> a.putScalar(0, 99.0)));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

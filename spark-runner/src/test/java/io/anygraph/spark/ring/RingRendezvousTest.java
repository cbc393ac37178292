package io.anygraph.spark.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.spark.ring.RingRendezvous.Seat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The driver's rendezvous among threads of this JVM: every task gets every address of its stage
 * attempt, in rank order; tasks of a dead attempt never meet those of the next one; a waiting task
 * gives up when it is killed or when its timeout passes.
 */
class RingRendezvousTest {
  private static final int LONG = 10_000;

  private static Future<List<String>> join(
      ExecutorService pool, RingRendezvous meet, int attempt, int rank, int tasks) {
    return join(pool, meet, attempt, rank, tasks, LONG, () -> false);
  }

  private static Future<List<String>> join(
      ExecutorService pool,
      RingRendezvous meet,
      int attempt,
      int rank,
      int tasks,
      int timeout,
      BooleanSupplier killed) {
    Seat seat = new Seat(attempt, rank, tasks, "a" + attempt + "-host" + rank + ":9");
    return pool.submit(() -> RingRendezvous.join(meet.address(), seat, timeout, killed));
  }

  private static String failure(Future<List<String>> f) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof RingAllReduce.Failure, String.valueOf(e.getCause()));
    return e.getCause().getMessage();
  }

  @Test
  void tasksJoiningInAnyOrderGetEveryAddressInRankOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 3, LONG)) {
      List<Future<List<String>>> answers = new ArrayList<>();
      for (int rank : new int[] {2, 0, 1}) {
        answers.add(join(pool, meet, 0, rank, 3));
      }
      for (Future<List<String>> a : answers) {
        assertEquals(List.of("a0-host0:9", "a0-host1:9", "a0-host2:9"), a.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aNewAttemptTurnsTheOldOneAwayAndItsTasksMeetOnlyEachOther() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 2, LONG)) {
      // attempt 0: rank 0 joined, rank 1 died before joining; Spark starts attempt 1
      Future<List<String>> stale = join(pool, meet, 0, 0, 2);
      Thread.sleep(200); // rank 0 of attempt 0 is waiting (ordering only, nothing is timed)
      Future<List<String>> first = join(pool, meet, 1, 1, 2);
      assertTrue(
          failure(stale).contains("task 0 of 2 (stage attempt 0)"),
          "the dead attempt's task is closed when a newer attempt begins");
      // a late task of attempt 0 (its rank 1, slow to start) must not complete attempt 1
      Future<List<String>> late = join(pool, meet, 0, 1, 2);
      assertTrue(failure(late).contains("closed the connection"), "a late task is turned away");
      assertFalse(first.isDone(), "attempt 1 still waits for its own rank 0");
      Future<List<String>> second = join(pool, meet, 1, 0, 2);
      assertEquals(List.of("a1-host0:9", "a1-host1:9"), first.get());
      assertEquals(List.of("a1-host0:9", "a1-host1:9"), second.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTaskThatNeverComesFailsTheOthersWithinTheirTimeoutNamingTheRendezvous() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 2, LONG)) {
      String m = failure(join(pool, meet, 0, 0, 2, 300, () -> false));
      assertTrue(
          m.contains("task 0 of 2") && m.contains(meet.address()) && m.contains("within 300 ms"),
          m);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKilledTaskStopsWaitingBeforeItsTimeout() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(1);
    AtomicBoolean killed = new AtomicBoolean();
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 2, LONG)) {
      Future<List<String>> waiting = join(pool, meet, 0, 0, 2, 600_000, killed::get);
      Thread.sleep(200);
      assertFalse(waiting.isDone());
      killed.set(true); // failure() waits at most 5 s, far below the 600 s timeout
      assertTrue(failure(waiting).contains("the task was killed"));
    } finally {
      pool.shutdownNow();
    }
  }
}

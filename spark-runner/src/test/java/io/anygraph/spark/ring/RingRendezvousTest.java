package io.anygraph.spark.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The driver's rendezvous among threads of this JVM: every task gets every address, in order. */
class RingRendezvousTest {
  @Test
  void tasksJoiningInAnyOrderGetEveryAddressInRankOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 3, 10_000)) {
      List<Future<List<String>>> answers = new ArrayList<>();
      for (int rank : new int[] {2, 0, 1}) {
        answers.add(
            pool.submit(
                () -> RingRendezvous.join(meet.address(), rank, 3, "host" + rank + ":9", 10_000)));
      }
      for (Future<List<String>> a : answers) {
        assertEquals(List.of("host0:9", "host1:9", "host2:9"), a.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTaskThatNeverComesFailsTheOthersWithTheRendezvousAddress() {
    try (RingRendezvous meet = RingRendezvous.open("127.0.0.1", 2, 300)) {
      RingAllReduce.Failure f =
          assertThrows(
              RingAllReduce.Failure.class,
              () -> RingRendezvous.join(meet.address(), 0, 2, "host0:9", 5_000));
      assertTrue(
          f.getMessage().contains("task 0 of 2") && f.getMessage().contains(meet.address()),
          f.getMessage());
    }
  }
}

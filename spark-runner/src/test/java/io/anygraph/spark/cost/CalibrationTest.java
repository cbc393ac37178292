package io.anygraph.spark.cost;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.AnygraphException;
import io.anygraph.spark.LocalSpark;
import java.time.Duration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Calibration on {@code local[2]}: constants that can be used, and a deadline that names who. */
class CalibrationTest {
  @Test
  void twoTasksOnLocal2GiveFinitePositiveConstants() {
    JavaSparkContext sc = LocalSpark.context();
    LinkConstants c = Calibration.measure(sc, 2, Duration.ofMinutes(2));
    double[] all = {
      c.jobSeconds(),
      c.hopSeconds(),
      c.driverBytesPerSecond(),
      c.broadcastBytesPerSecond(),
      c.peerBytesPerSecond()
    };
    for (double v : all) {
      assertTrue(v > 0 && Double.isFinite(v), c.toString());
    }
    assertTrue(c.stageSeconds() >= 0, c.toString());
    // bandwidths are capped at 100 GB/s: timing noise near zero must not give infinity
    assertTrue(c.driverBytesPerSecond() <= 1e11 && c.peerBytesPerSecond() <= 1e11, c.toString());
  }

  @Test
  void aCalibrationPastItsDeadlineNamesTheExecutorsThatDidNotAnswer() {
    JavaSparkContext sc = LocalSpark.context();
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> Calibration.measure(sc, 2, Duration.ZERO));
    // local mode: the driver's block manager is the one executor, and no task ran
    assertTrue(
        e.getMessage()
                .startsWith(
                    "Exchange calibration did not finish in time: executors that"
                        + " answered [], no answer from [")
            && e.getMessage().contains(":"),
        e.getMessage());
  }
}

package io.anygraph.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's figures: VmRSS read from a status text, growth and its rate worked by hand. */
class SoakFiguresTest {
  @Test
  void residentSetSizeIsReadFromItsStatusLine() {
    String status = "Name:\tjava\nVmPeak:\t 9999999 kB\nVmRSS:\t  524288 kB\nRssAnon:\t  1 kB\n";
    assertEquals(524288, MemoryUse.vmRssKb(status));
    assertTrue(Double.isNaN(MemoryUse.vmRssKb("Name:\tjava\n")));
  }

  @Test
  void growthCountsFromTheWarmUpSampleAndItsRateIsTheLeastSquaresSlope() {
    MemoryUse start = new MemoryUse(200, 20, 100, 1, 30);
    // RSS 380, 386, 392 MB at 0, 0.1, 0.2 h after warm-up: on a line of slope 60 MB/h
    SoakBench.Phase line =
        new SoakBench.Phase(
            "local", 1000, start, List.of(sample(0, 380), sample(0.1, 386), sample(0.2, 392)));
    assertEquals(12, line.growthMb(), 1e-9);
    assertEquals(60, line.mbPerHour(), 1e-9);
    assertEquals(30, line.projectedHalfHourMb(), 1e-9);
    // 380, 400, 380, 380 at 0, 0.1, 0.2, 0.3 h: mean t 0.15, mean r 385; sum (t-0.15)(r-385) =
    // (-0.15)(-5) + (-0.05)(15) + (0.05)(-5) + (0.15)(-5) = -1; sum (t-0.15)^2 = 0.05: -20 MB/h
    SoakBench.Phase bump =
        new SoakBench.Phase(
            "spark",
            1000,
            start,
            List.of(sample(0, 380), sample(0.1, 400), sample(0.2, 380), sample(0.3, 380)));
    assertEquals(0, bump.growthMb(), 1e-9);
    assertEquals(-20, bump.mbPerHour(), 1e-9);
  }

  private static SoakBench.Sample sample(double hours, double rssMb) {
    return new SoakBench.Sample(hours, new MemoryUse(rssMb, 30, 120, 1, 30));
  }
}

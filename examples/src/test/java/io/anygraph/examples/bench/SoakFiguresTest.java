package io.anygraph.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void growthIsCountedFromTheWarmUpSampleAndScaledToAnHourAndHalfAnHour() {
    MemoryUse start = new MemoryUse(200, 20, 100);
    MemoryUse warm = new MemoryUse(380, 30, 120);
    MemoryUse end = new MemoryUse(392, 31, 120);
    // 12 MB over the 0.4 hours after warm-up: 30 MB/h, 15 MB per half hour
    SoakBench.Phase p = new SoakBench.Phase("local", 1000, start, warm, List.of(), end, 0.4);
    assertEquals(12, p.growthMb(), 1e-12);
    assertEquals(30, p.mbPerHour(), 1e-12);
    assertEquals(15, p.projectedHalfHourMb(), 1e-12);
  }

  @Test
  void onlyTheSoakOptionRoutesTheBenchToIt() {
    assertTrue(SoakBench.requested(new String[] {"--minutes", "5", "--only", "soak"}));
    assertFalse(SoakBench.requested(new String[] {"--only", "spark"}));
    assertFalse(SoakBench.requested(new String[] {"soak"}));
  }
}

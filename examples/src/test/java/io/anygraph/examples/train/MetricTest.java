package io.anygraph.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The held-out figures from summed evaluations, against values worked by hand. */
class MetricTest {
  @Test
  void accuracyIsTheFractionCorrect() {
    assertEquals(0.75, Metric.accuracy("test accuracy", "test_accuracy").value(150, 200), 0);
  }

  @Test
  void perplexityIsTheExponentOfTheMeanCrossEntropy() {
    // two sequences of mean cross-entropy ln 3 and ln 12: exp((ln 3 + ln 12) / 2) = sqrt(36) = 6
    Metric p = Metric.perplexity("held-out perplexity", "perplexity");
    assertEquals(6.0, p.value(Math.log(3) + Math.log(12), 2), 1e-12);
    // a uniform guess over 65 characters has perplexity 65
    assertEquals(65.0, p.value(10 * Math.log(65), 10), 1e-9);
  }

  @Test
  void rmseIsTheRootOfTheMeanSquaredError() {
    // errors 1, -2, 2 over three ratings: sqrt((1 + 4 + 4) / 3) = sqrt(3)
    assertEquals(Math.sqrt(3), Metric.rmse("test RMSE", "test_rmse").value(9, 3), 1e-12);
  }
}

package io.anygraph.data.ratings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The generator against its documented model, recomputed here from the drawn components. */
class SyntheticRatingsTest {
  private static final SyntheticRatings.Config SMALL =
      new SyntheticRatings.Config(200, 50, 4, 10, 0.25, 3);

  /** clip(3.5 + b_u + b_i + p_u · q_i, 1, 5), written out from the README's formula. */
  private static double noiseFree(SyntheticRatings r, int u, int i) {
    double[] p = r.userFactors(u);
    double[] q = r.itemFactors(i);
    double dot = 0;
    for (int f = 0; f < p.length; f++) {
      dot += p[f] * q[f];
    }
    return 3.5 + r.userBias(u) + r.itemBias(i) + dot;
  }

  @Test
  void withoutNoiseEachRatingIsTheClippedLatentFactorFormula() {
    SyntheticRatings r =
        SyntheticRatings.generate(new SyntheticRatings.Config(200, 50, 4, 10, 0, 3));
    Dataset d = r.ratings();
    assertEquals(2000, d.size());
    assertEquals(DataType.INT32, d.features().dataType());
    assertEquals(DataType.FLOAT, d.labels().dataType());
    int clipped = 0;
    for (int k = 0; k < d.size(); k++) {
      int u = d.features().getInt(k, 0);
      int i = d.features().getInt(k, 1);
      double raw = noiseFree(r, u, i);
      assertEquals(raw, r.expected(u, i), 1e-12);
      double rating = Math.min(5, Math.max(1, raw));
      clipped += rating != raw ? 1 : 0;
      assertEquals(rating, d.labels().getDouble(k), 1e-6, "rating " + k);
    }
    assertTrue(clipped < d.size() / 10, clipped + " of " + d.size() + " clipped");
  }

  @Test
  void theDrawsHaveTheDocumentedScales() {
    SyntheticRatings r = SyntheticRatings.generate(SMALL);
    // factors: s = k^(-1/4), so each entry's variance is 1 / sqrt(4) = 0.5 (800 user entries)
    double sq = 0;
    for (int u = 0; u < 200; u++) {
      for (double v : r.userFactors(u)) {
        sq += v * v;
      }
    }
    assertEquals(0.5, sq / 800, 0.1);
    double biasSq = 0;
    for (int u = 0; u < 200; u++) {
      biasSq += r.userBias(u) * r.userBias(u);
    }
    assertEquals(0.3, Math.sqrt(biasSq / 200), 0.05);
    // the noise: ratings minus the noise-free formula, where neither is clipped
    double noiseSq = 0;
    int n = 0;
    Dataset d = r.ratings();
    for (int k = 0; k < d.size(); k++) {
      double raw = noiseFree(r, d.features().getInt(k, 0), d.features().getInt(k, 1));
      double y = d.labels().getDouble(k);
      if (raw > 1.5 && raw < 4.5 && y > 1 && y < 5) {
        noiseSq += (y - raw) * (y - raw);
        n++;
      }
    }
    assertTrue(n > 1500, n + " unclipped ratings");
    assertEquals(0.25, Math.sqrt(noiseSq / n), 0.03);
  }

  @Test
  void eachUserRatesDistinctItemsInUserOrder() {
    Dataset d = SyntheticRatings.generate(SMALL).ratings();
    for (int u = 0; u < 200; u++) {
      Set<Integer> items = new HashSet<>();
      for (int k = 10 * u; k < 10 * u + 10; k++) {
        assertEquals(u, d.features().getInt(k, 0));
        int item = d.features().getInt(k, 1);
        assertTrue(item >= 0 && item < 50, "item " + item);
        items.add(item);
      }
      assertEquals(10, items.size(), "user " + u);
    }
  }

  @Test
  void aSeedRepeatsItsRatingsAndAnotherDoesNot() {
    Dataset a = SyntheticRatings.generate(SMALL).ratings();
    Dataset b = SyntheticRatings.generate(SMALL).ratings();
    Dataset c =
        SyntheticRatings.generate(new SyntheticRatings.Config(200, 50, 4, 10, 0.25, 4)).ratings();
    assertArrayEquals(a.features().data().asInt(), b.features().data().asInt());
    assertArrayEquals(a.labels().data().asFloat(), b.labels().data().asFloat());
    assertFalse(Arrays.equals(a.labels().data().asFloat(), c.labels().data().asFloat()));
  }

  @Test
  void theSplitHoldsOutTheAskedFractionAndLosesNoRating() {
    SyntheticRatings r = SyntheticRatings.generate(SMALL);
    SyntheticRatings.Split s = r.split(0.15, 9);
    assertEquals(300, s.heldOut().size()); // 15% of 2,000
    assertEquals(1700, s.train().size());
    // together they are the ratings, each (user, item) once: as 50 * user + item, summed
    Set<Integer> pairs = new HashSet<>();
    for (Dataset part : new Dataset[] {s.train(), s.heldOut()}) {
      for (int k = 0; k < part.size(); k++) {
        pairs.add(50 * part.features().getInt(k, 0) + part.features().getInt(k, 1));
      }
    }
    assertEquals(2000, pairs.size());
    assertArrayEquals(
        s.heldOut().labels().data().asFloat(),
        r.split(0.15, 9).heldOut().labels().data().asFloat());
    Batch b = s.train().shuffledBatches(1, 64).iterator().next();
    assertArrayEquals(new long[] {64, 2}, b.features().shape());
    assertArrayEquals(new long[] {64}, b.labels().shape());
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new SyntheticRatings.Config(10, 5, 2, 6, 0.1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SyntheticRatings.Config(10, 5, 2, 3, Double.NaN, 1));
    assertThrows(
        IllegalArgumentException.class, () -> SyntheticRatings.generate(SMALL).split(0, 1));
  }
}

package io.anygraph.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Windows with next-character targets, the split at a line break, and seeded batches. */
class CharSequencesTest {
  @Test
  void eachTargetIsTheNextCharacter() {
    // ids 0..10: windows of 3 are [0 1 2]→[1 2 3], [3 4 5]→[4 5 6], [6 7 8]→[7 8 9]; 9, 10 dropped
    Dataset d = CharSequences.windows(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 3);
    assertEquals(3, d.size());
    assertEquals(DataType.INT32, d.features().dataType());
    assertArrayEquals(new long[] {3, 3}, d.labels().shape());
    assertArrayEquals(new int[] {3, 4, 5}, d.features().getRow(1).toIntVector());
    assertArrayEquals(new int[] {4, 5, 6}, d.labels().getRow(1).toIntVector());
    assertArrayEquals(new int[] {7, 8, 9}, d.labels().getRow(2).toIntVector());
    // exactly (n - 1) / steps windows: 10 ids make 3 windows of 3 (the 10th id is a target)
    assertEquals(3, CharSequences.windows(new int[10], 3).size());
    assertEquals(0, CharSequences.windows(new int[3], 3).size());
  }

  @Test
  void theHeldOutPartStartsAtALineBreakAndSharesNoLine() {
    String text = "aaaa\nbbbb\ncccc\ndddd\neeee\n"; // 25 characters; lines start at 0, 5, .., 20
    assertEquals(20, CharSequences.splitPoint(text, 0.2)); // 25 * 0.8 = 20, a line's start
    assertEquals(15, CharSequences.splitPoint(text, 0.4)); // 25 * 0.6 = 15, a line's start
    assertEquals(20, CharSequences.splitPoint(text, 0.3)); // 17.5 rounds to 18, inside "dddd"
    CharSequences c = CharSequences.of(text, 4, 0.2);
    // training text "aaaa\nbbbb\ncccc\ndddd\n": (20 - 1) / 4 = 4 windows; held out "eeee\n": 1
    assertEquals(4, c.train().size());
    assertEquals(1, c.heldOut().size());
    assertEquals("eeee", c.vocabulary().decode(c.heldOut().features().getRow(0).toIntVector()));
    assertEquals("eee\n", c.vocabulary().decode(c.heldOut().labels().getRow(0).toIntVector()));
    assertEquals("\nabcde", c.vocabulary().chars());
  }

  @Test
  void batchesAreBatchByTimeAndRepeatWithTheSeed() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      s.append("line ").append(i).append('\n');
    }
    CharSequences c = CharSequences.of(s.toString(), 8, 0.1);
    Batch b = first(c.train(), 5);
    assertArrayEquals(new long[] {16, 8}, b.features().shape());
    assertArrayEquals(new long[] {16, 8}, b.labels().shape());
    // inside every batch row, the targets are the inputs moved by one
    for (int r = 0; r < 16; r++) {
      int[] x = b.features().getRow(r).toIntVector();
      int[] y = b.labels().getRow(r).toIntVector();
      for (int t = 0; t + 1 < 8; t++) {
        assertEquals(x[t + 1], y[t], "row " + r + " position " + t);
      }
    }
    assertArrayEquals(b.features().data().asInt(), first(c.train(), 5).features().data().asInt());
    assertArrayEquals(b.labels().data().asInt(), first(c.train(), 5).labels().data().asInt());
    assertFalse(
        Arrays.equals(b.features().data().asInt(), first(c.train(), 6).features().data().asInt()));
  }

  private static Batch first(Dataset d, long seed) {
    return d.shuffledBatches(seed, 16).iterator().next();
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> CharSequences.of("abc\n", 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> CharSequences.of("abc\n", 2, 1.0));
    assertThrows(IllegalArgumentException.class, () -> CharSequences.of("abc\n", 2, Double.NaN));
  }
}

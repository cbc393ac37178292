package io.anygraph.data.text;

import io.anygraph.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A text as training and held-out examples for a character-level language model: the text's
 * vocabulary, the text split into a training part and the held-out rest (at a line break, so no
 * line is in both), and each part cut into windows of {@code steps} characters. Window {@code i}
 * has features {@code ids[i*steps, (i+1)*steps)} and labels {@code ids[i*steps+1, (i+1)*steps+1)}:
 * each position's target is the next character. Batches of the datasets ({@link
 * Dataset#shuffledBatches}) are int32 [batch, steps] inputs with int32 [batch, steps] targets.
 *
 * <pre>{@code
 * CharSequences c = CharSequences.of(TextCorpus.load(TextCorpus.defaultLocation()).text(), 64, 0.1);
 * for (Batch b : c.train().shuffledBatches(seed, 32)) { ... b.features(), b.labels() ... }
 * }</pre>
 *
 * @param vocabulary the characters of the whole text (held-out characters included)
 * @param train windows of the first part of the text
 * @param heldOut windows of the last {@code heldOutFraction} of it
 */
public record CharSequences(CharVocabulary vocabulary, Dataset train, Dataset heldOut) {
  /**
   * Splits {@code text} (the last {@code heldOutFraction} held out, moved forward to the next line
   * break) and cuts both parts into windows of {@code steps} characters.
   */
  public static CharSequences of(String text, int steps, double heldOutFraction) {
    return of(text, CharVocabulary.of(text), steps, heldOutFraction);
  }

  /**
   * As {@link #of(String, int, double)}, with ids from {@code vocabulary} (e.g. {@link
   * CharVocabulary#ASCII}); a character outside it is refused by name.
   */
  public static CharSequences of(
      String text, CharVocabulary vocabulary, int steps, double heldOutFraction) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps " + steps + ": a window needs at least 1");
    }
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "held-out fraction " + heldOutFraction + " is not between 0 and 1");
    }
    int cut = splitPoint(text, heldOutFraction);
    return new CharSequences(
        vocabulary,
        windows(vocabulary.encode(text.substring(0, cut)), steps),
        windows(vocabulary.encode(text.substring(cut)), steps));
  }

  /**
   * Where the held-out part starts: at {@code (1 - fraction)} of the text if a line starts there,
   * else at the start of the next line (or there, when no line break follows).
   */
  static int splitPoint(String text, double fraction) {
    int at = (int) Math.round(text.length() * (1 - fraction));
    if (at > 0 && text.charAt(at - 1) != '\n') {
      int nl = text.indexOf('\n', at);
      at = nl < 0 ? at : nl + 1;
    }
    return at;
  }

  /**
   * The {@code (ids.length - 1) / steps} windows of {@code steps} ids and their next ids; the
   * remainder that does not fill a window is dropped.
   */
  public static Dataset windows(int[] ids, int steps) {
    int n = Math.max(0, (ids.length - 1) / steps);
    int[] x = new int[n * steps];
    int[] y = new int[n * steps];
    System.arraycopy(ids, 0, x, 0, n * steps);
    if (n > 0) {
      System.arraycopy(ids, 1, y, 0, n * steps);
    }
    INDArray features = Nd4j.create(x, new long[] {n, steps}, DataType.INT32);
    INDArray labels = Nd4j.create(y, new long[] {n, steps}, DataType.INT32);
    return new Dataset(features, labels);
  }
}

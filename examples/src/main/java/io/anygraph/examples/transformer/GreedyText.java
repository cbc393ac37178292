package io.anygraph.examples.transformer;

import io.anygraph.core.Session;
import io.anygraph.data.text.CharVocabulary;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Greedy generation with a trained {@link Transformer}: the model runs on the last {@code context}
 * characters of the growing text and the most likely next character is appended, one session run
 * per character, so the same parameters always give the same text. A text shorter than the context
 * fills the window's first positions and is padded after them; attention is causal, so the padding
 * never reaches the position that is read.
 */
public final class GreedyText {
  private GreedyText() {}

  /** {@code count} characters that the model in {@code session} writes after {@code prompt}. */
  public static String continuation(
      Session session, Transformer model, CharVocabulary vocabulary, String prompt, int count) {
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException(
          "greedy generation needs a prompt of at least 1 character");
    }
    if (vocabulary.size() != model.vocabulary()) {
      throw new IllegalArgumentException(
          "vocabulary of "
              + vocabulary.size()
              + " characters for a model over "
              + model.vocabulary());
    }
    int context = model.context();
    StringBuilder text = new StringBuilder(prompt);
    for (int i = 0; i < count; i++) {
      int start = Math.max(0, text.length() - context);
      int[] window = vocabulary.encode(text.substring(start));
      int[] ids = new int[context]; // padding: id 0 after the window
      System.arraycopy(window, 0, ids, 0, window.length);
      INDArray feed = Nd4j.create(ids, new long[] {1, context}, DataType.INT32);
      INDArray logits = session.run(model.prediction(), Map.of(model.features(), feed));
      text.append(vocabulary.character(argMax(logits, window.length - 1)));
    }
    return text.substring(prompt.length());
  }

  /** The id with the largest logit at {@code position} of logits [1, context, vocabulary]. */
  private static int argMax(INDArray logits, int position) {
    long size = logits.size(2);
    int best = 0;
    for (int c = 1; c < size; c++) {
      if (logits.getDouble(0, position, c) > logits.getDouble(0, position, best)) {
        best = c;
      }
    }
    return best;
  }
}

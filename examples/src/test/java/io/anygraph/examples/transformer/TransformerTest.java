package io.anygraph.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.anygraph.core.DType;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Variable;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.data.text.CharSequences;
import io.anygraph.data.text.CharVocabulary;
import io.anygraph.data.text.TextCorpus;
import io.anygraph.examples.train.SparkEquivalence;
import io.anygraph.spark.SparkSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The character transformer: its parameters are the ones its design names, with their shapes, and a
 * few steps on Spark over unequal blocks equal the local runner's, greedy generation included.
 */
class TransformerTest {
  private static CharSequences text;
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    // the first 40,000 characters of the shipped text: enough windows, quick to cut
    String all = TextCorpus.load(TextCorpus.defaultLocation()).text();
    text = CharSequences.of(all.substring(0, 40_000), CharVocabulary.ASCII, 32, 0.1);
    spark =
        SparkSetup.session(
            SparkSetup.conf("transformer-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theParametersAreTheEmbeddingsTwoBlocksAndTheOutputLayer() {
    Map<String, Shape> params = new TreeMap<>();
    for (Variable v : new Transformer(1, 0.001, 96, 32, DType.FLOAT32).graph().variables()) {
      if (v.isTrainable()) {
        params.put(v.name(), v.shape());
      }
    }
    // embeddings 2; per block: 2 norms of 2, query/key/value/output, mlp 2 weights and 2 biases;
    // output: a norm of 2, weights and bias
    assertEquals(2 + 2 * (4 + 4 + 4) + 4, params.size(), params.toString());
    assertEquals(Shape.of(96, 32), params.get("embedding/tokens:0"));
    assertEquals(Shape.of(32, 32), params.get("embedding/positions:0"));
    for (String b : new String[] {"block1", "block2"}) {
      for (String w : new String[] {"query", "key", "value", "output"}) {
        assertEquals(Shape.of(32, 32), params.get(b + "/attention/" + w + ":0"), b + " " + w);
      }
      assertEquals(Shape.of(32), params.get(b + "/attention/norm/gamma:0"));
      assertEquals(Shape.of(32), params.get(b + "/mlp/norm/beta:0"));
      assertEquals(Shape.of(32, 128), params.get(b + "/mlp/weights1:0"));
      assertEquals(Shape.of(128), params.get(b + "/mlp/bias1:0"));
      assertEquals(Shape.of(128, 32), params.get(b + "/mlp/weights2:0"));
      assertEquals(Shape.of(32), params.get(b + "/mlp/bias2:0"));
    }
    assertEquals(Shape.of(32), params.get("output/norm/gamma:0"));
    assertEquals(Shape.of(32, 96), params.get("output/weights:0"));
    assertEquals(Shape.of(96), params.get("output/bias:0"));
  }

  @Test
  void threeStepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    int generated = 3;
    SparkEquivalence.check(
        new TransformerExample(DType.FLOAT32, generated),
        JavaSparkContext.fromSparkContext(spark.sparkContext()),
        text.train().take(448),
        text.heldOut().take(100),
        new int[] {250, 130, 68},
        generated, // one job per generated character
        tmp,
        "--epochs",
        "1",
        "--steps",
        "3",
        "--batch",
        "64",
        "--seed",
        "4");
  }

  @Test
  void aShortRunHalvesTheHeldOutPerplexity() {
    Transformer model = new Transformer(3, 0.01, 96, 32, DType.FLOAT32);
    Dataset heldOut = text.heldOut().take(32);
    try (Session s = new Session(model.graph())) {
      s.initializeAllVariables();
      double before = perplexity(s, model, heldOut);
      // untrained logits are nearly flat: about as perplexed as a uniform guess over 96 ids
      assertTrue(before > 48, "untrained perplexity " + before);
      int steps = 0;
      for (Batch b : text.train().shuffledBatches(5, 16)) {
        s.run(model.train(), Map.of(model.features(), b.features(), model.labels(), b.labels()));
        if (++steps == 15) {
          break;
        }
      }
      double after = perplexity(s, model, heldOut);
      assertTrue(after < before / 2, "perplexity " + before + " -> " + after + " in 15 steps");
    }
  }

  /** exp of the mean over windows of each window's mean cross-entropy. */
  private static double perplexity(Session s, Transformer model, Dataset windows) {
    double sum =
        s.run(
                model.evaluation(),
                Map.of(model.features(), windows.features(), model.labels(), windows.labels()))
            .getDouble(0);
    return Math.exp(sum / windows.size());
  }

  @Test
  void paddingAfterAPositionDoesNotChangeItsLogitsAndGenerationRepeats() {
    // what greedy generation relies on: attention is causal through both blocks
    Transformer model = new Transformer(2, 0.001, 96, 32, DType.FLOAT32);
    int[] a = new int[32];
    int[] b = new int[32];
    for (int t = 0; t < 32; t++) {
      a[t] = t < 10 ? 40 + t : 0;
      b[t] = t < 10 ? 40 + t : 95 - t;
    }
    try (Session s = new Session(model.graph())) {
      s.initializeAllVariables();
      INDArray la = s.run(model.prediction(), Map.of(model.features(), window(a)));
      INDArray lb = s.run(model.prediction(), Map.of(model.features(), window(b)));
      for (int t = 0; t < 32; t++) {
        double diff =
            la.get(point(0), point(t), all())
                .sub(lb.get(point(0), point(t), all()))
                .amaxNumber()
                .doubleValue();
        if (t < 10) {
          assertEquals(0, diff, 1e-6, "position " + t + " sees only the prompt");
        } else {
          assertTrue(diff > 1e-4, "position " + t + " sees the different padding");
        }
      }
      // the same parameters write the same text, past the context so the window slides
      String once = GreedyText.continuation(s, model, CharVocabulary.ASCII, "In the beginning", 20);
      assertEquals(20, once.length());
      assertEquals(
          once, GreedyText.continuation(s, model, CharVocabulary.ASCII, "In the beginning", 20));
    }
  }

  private static INDArray window(int[] ids) {
    return Nd4j.create(ids, new long[] {1, ids.length}, DataType.INT32);
  }
}

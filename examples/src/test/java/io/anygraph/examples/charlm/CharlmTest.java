package io.anygraph.examples.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Variable;
import io.anygraph.data.Dataset;
import io.anygraph.data.text.CharSequences;
import io.anygraph.data.text.CharVocabulary;
import io.anygraph.data.text.TextCorpus;
import io.anygraph.examples.train.SparkEquivalence;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.Training;
import io.anygraph.spark.SparkSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The character-level LSTM: its parameters are the ones its design names, a few steps on Spark with
 * unequal blocks equal the local runner's (in float32: the sums that differ in order between the
 * runners stay within 1e-5 here), and a short run lowers the held-out perplexity from the uniform
 * model's 96.
 */
class CharlmTest {
  private static CharSequences text;
  private static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    text =
        CharSequences.of(
            TextCorpus.load(TextCorpus.defaultLocation()).text(),
            CharVocabulary.ASCII,
            CharLstm.WINDOW,
            CharlmExample.HELD_OUT);
    spark =
        SparkSetup.session(
            SparkSetup.conf("charlm-spark-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theParametersAreTheEmbeddingTheLstmAndTheDenseLayer() {
    Map<String, List<Long>> shapes = new TreeMap<>();
    for (Variable v : new CharLstm(1, 0.01).graph().variables()) {
      if (v.isTrainable()) {
        List<Long> dims = new ArrayList<>();
        for (int d = 0; d < v.shape().rank(); d++) {
          dims.add(v.shape().dim(d));
        }
        shapes.put(v.name(), dims);
      }
    }
    // 96 ASCII characters into 32 dimensions; gates [x_t, h] (32 + 64) -> 4 * 64; 64 -> 96 logits
    assertEquals(
        Map.of(
            "embedding/table:0", List.of(96L, 32L),
            "lstm/kernel:0", List.of(96L, 256L),
            "lstm/bias:0", List.of(256L),
            "dense/weights:0", List.of(64L, 96L),
            "dense/bias:0", List.of(96L)),
        shapes);
  }

  @Test
  void stepsOnUnequalBlocksEqualTheLocalRunner() throws IOException {
    Training.Result r =
        SparkEquivalence.check(
            new CharlmExample(),
            JavaSparkContext.fromSparkContext(spark.sparkContext()),
            text.train().take(96),
            text.heldOut().take(40),
            new int[] {50, 30, 16},
            0, // the sampling graph reads no sharded input: it runs on the driver, no Spark job
            tmp,
            "--epochs",
            "1",
            "--steps",
            "3",
            "--batch",
            "32",
            "--seed",
            "4");
    @SuppressWarnings("unchecked")
    List<String> samples = (List<String>) r.extras().get("samples");
    assertEquals(CharlmExample.PROMPTS.size(), samples.size());
    for (int i = 0; i < samples.size(); i++) {
      String prompt = CharlmExample.PROMPTS.get(i);
      assertTrue(samples.get(i).startsWith(prompt), samples.get(i));
      assertEquals(prompt.length() + CharLstm.SAMPLE_LENGTH, samples.get(i).length());
    }
  }

  @Test
  void aShortRunLowersTheHeldOutPerplexityBelowTheUniformModels() throws IOException {
    Dataset heldOut = text.heldOut().take(256);
    CharlmExample model = new CharlmExample();
    TrainOptions options =
        TrainOptions.parse(model, "--epochs", "1", "--steps", "60", "--seed", "2");
    Training.Result r =
        new Training<>(model, options, new PrintStream(new ByteArrayOutputStream()))
            .run(text.train().take(60 * 32), heldOut);
    // a uniform guess over 96 characters has perplexity 96; the text's letter frequencies alone
    // (a unigram model) give about 25, which 60 steps of Adam at 0.01 should reach
    assertTrue(r.metric() < 30, "held-out perplexity " + r.metric());
  }
}

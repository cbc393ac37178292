package io.anygraph.examples.charlm;

import io.anygraph.core.DType;
import io.anygraph.core.Session;
import io.anygraph.data.Dataset;
import io.anygraph.data.text.CharSequences;
import io.anygraph.data.text.CharVocabulary;
import io.anygraph.data.text.TextCorpus;
import io.anygraph.examples.train.ExampleModel;
import io.anygraph.examples.train.Metric;
import io.anygraph.examples.train.TrainOptions;
import io.anygraph.examples.train.TrainingData;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code anygraph charlm}: the character-level LSTM {@link CharLstm} on the shipped King James
 * Bible (or the text file {@code --data} names), windows of {@value CharLstm#WINDOW} characters,
 * the last tenth of the text held out; reports held-out perplexity, and after training prints a
 * line sampled (from the softmax, seeded by {@code --seed}) after each of {@link #PROMPTS}.
 */
public final class CharlmExample implements ExampleModel<CharLstm> {
  /** Fraction of the text held out (its end, from a line break). */
  public static final double HELD_OUT = 0.1;

  /** Held-out windows measured after each epoch: the first ones of the held-out text. */
  public static final int HELD_OUT_WINDOWS = 512;

  /** The prompts sampled after training, one run of the sampling graph each. */
  public static final List<String> PROMPTS =
      List.of("In the beginning ", "And the LORD said ", "Blessed are the ");

  private final DType dtype;

  /** The command's model: float32. */
  public CharlmExample() {
    this(DType.FLOAT32);
  }

  /** The model computing in {@code dtype} (tests: float64 shows exactness). */
  public CharlmExample(DType dtype) {
    this.dtype = dtype;
  }

  @Override
  public String name() {
    return "charlm";
  }

  @Override
  public String summary() {
    return "trains a character-level LSTM on the shipped King James Bible (--epochs N --steps N)";
  }

  @Override
  public String examples() {
    return "windows";
  }

  @Override
  public String optimizer() {
    return "Adam";
  }

  @Override
  public Defaults defaults() {
    return new Defaults("1", "32", "0.01");
  }

  @Override
  public String dataHelp() {
    return "text file (or Hadoop URI) to train on (default: the shipped King James Bible)";
  }

  @Override
  public CharLstm build(long seed, double learningRate) {
    return new CharLstm(seed, learningRate, dtype);
  }

  @Override
  public Metric metric() {
    return Metric.perplexity("held-out perplexity", "heldout_perplexity");
  }

  @Override
  public TrainingData load(TrainOptions options) throws IOException {
    String location = options.dataDir() != null ? options.dataDir() : TextCorpus.defaultLocation();
    TextCorpus text = TextCorpus.load(location);
    CharSequences windows =
        CharSequences.of(text.text(), CharVocabulary.ASCII, CharLstm.WINDOW, HELD_OUT);
    Dataset heldOut = windows.heldOut();
    return new TrainingData(
        windows.train(),
        heldOut.take(Math.min(HELD_OUT_WINDOWS, heldOut.size())),
        "text from " + text.source());
  }

  /** Prints and returns {@code samples}: each prompt followed by its generated characters. */
  @Override
  public Map<String, Object> afterTraining(
      Session session, CharLstm model, TrainOptions options, Dataset heldOut, PrintStream out) {
    List<String> lines = new ArrayList<>();
    for (String p : PROMPTS) {
      lines.add(p + sample(session, model, p));
    }
    out.println("samples (seeded, " + CharLstm.SAMPLE_LENGTH + " characters after each prompt):");
    lines.forEach(l -> out.println("  " + l.replace("\n", "\\n")));
    return Map.of("samples", lines);
  }

  /** The characters the trained model samples after {@code prompt}. */
  static String sample(Session session, CharLstm model, String prompt) {
    int[] ids = CharVocabulary.ASCII.encode(prompt);
    INDArray feed = Nd4j.create(ids, new long[] {1, ids.length}, DataType.INT32);
    INDArray generated = session.run(model.sample(), Map.of(model.prompt(), feed));
    return CharVocabulary.ASCII.decode(generated.toIntVector());
  }
}

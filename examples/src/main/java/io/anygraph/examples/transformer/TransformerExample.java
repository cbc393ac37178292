package io.anygraph.examples.transformer;

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
import java.util.Map;

/**
 * {@code anygraph transformer}: the character {@link Transformer} on the shipped King James Bible
 * (or {@code --data FILE}, or {@code $ANYGRAPH_TEXT}), in windows of {@value #CONTEXT} characters
 * over the {@link CharVocabulary#ASCII} ids; reports held-out perplexity and, after training, the
 * characters it writes greedily after {@value #PROMPT}.
 */
public final class TransformerExample implements ExampleModel<Transformer> {
  /** Characters per window. */
  public static final int CONTEXT = 32;

  /** The fraction of the text held out (its end), small so that an epoch's evaluation is quick. */
  public static final double HELD_OUT = 0.02;

  /** Where greedy generation starts. */
  public static final String PROMPT = "And God said";

  /** Characters generated after training. */
  public static final int GENERATED = 40;

  private final DType dtype;
  private final int generated;

  /** The command's model: float32, {@value #GENERATED} characters generated. */
  public TransformerExample() {
    this(DType.FLOAT32, GENERATED);
  }

  /** The model computing in {@code dtype} and generating {@code generated} characters. */
  public TransformerExample(DType dtype, int generated) {
    this.dtype = dtype;
    this.generated = generated;
  }

  @Override
  public String name() {
    return "transformer";
  }

  @Override
  public String summary() {
    return "trains a two-layer character transformer on the shipped text (--epochs N --json out.json)";
  }

  @Override
  public String examples() {
    return "windows";
  }

  @Override
  public String optimizer() {
    return "AdamW";
  }

  @Override
  public Defaults defaults() {
    return new Defaults("1", "32", "0.003");
  }

  @Override
  public String dataHelp() {
    return "text file (or Hadoop URI) to train on (default: $ANYGRAPH_TEXT or the shipped Bible)";
  }

  @Override
  public Transformer build(long seed, double learningRate) {
    return new Transformer(seed, learningRate, CharVocabulary.ASCII.size(), CONTEXT, dtype);
  }

  @Override
  public Metric metric() {
    return Metric.perplexity("held-out perplexity", "heldout_perplexity");
  }

  @Override
  public TrainingData load(TrainOptions options) throws IOException {
    String location = options.dataDir() == null ? TextCorpus.defaultLocation() : options.dataDir();
    TextCorpus corpus = TextCorpus.load(location);
    CharSequences windows =
        CharSequences.of(corpus.text(), CharVocabulary.ASCII, CONTEXT, HELD_OUT);
    return new TrainingData(windows.train(), windows.heldOut(), corpus.source());
  }

  @Override
  public Map<String, Object> afterTraining(
      Session session, Transformer model, TrainOptions options, Dataset heldOut, PrintStream out) {
    String text = GreedyText.continuation(session, model, CharVocabulary.ASCII, PROMPT, generated);
    out.println("greedy: " + PROMPT + text.replace("\n", "\\n"));
    return Map.of("prompt", PROMPT, "generated", text);
  }
}

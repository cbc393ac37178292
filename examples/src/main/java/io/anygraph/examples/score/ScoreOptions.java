package io.anygraph.examples.score;

import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;

/**
 * Options of the {@code score-mnist} command.
 *
 * @param master Spark master; null for spark-submit's or the embedded {@code local[*]}
 * @param checkpoint checkpoint folder of {@code anygraph mnist --checkpoint DIR}; null to train
 * @param epochs local training epochs when there is no checkpoint
 * @param seed graph seed of the model trained here
 * @param batch rows per run of the graph on the executors
 * @param partitions partitions of the scored DataFrame
 * @param dataDir folder with the IDX files; null for the shipped digits
 * @param parquet where to write the test digits as Parquet; null for a temporary folder
 * @param json where to write the result summary; null for none
 */
public record ScoreOptions(
    String master,
    String checkpoint,
    int epochs,
    long seed,
    int batch,
    int partitions,
    String dataDir,
    String parquet,
    String json) {

  /** The command's options. */
  public static final Options OPTIONS =
      new Options(
              "score-mnist",
              "the test digits as a Spark DataFrame (Parquet), scored by the CNN (--checkpoint DIR)")
          .value("--master", "URL", null, "Spark master (spark-submit's wins; default local[*])")
          .value(
              "--checkpoint", "DIR", null, "checkpoint folder of anygraph mnist --checkpoint DIR")
          .value("--epochs", "N", "1", "without --checkpoint: epochs of local training first")
          .value("--seed", "N", "1", "without --checkpoint: the seed of that training")
          .value("--batch", "N", "256", "rows per run of the graph on the executors")
          .value("--partitions", "N", "4", "partitions of the scored DataFrame")
          .value(
              "--data", "DIR", null, "folder (or Hadoop URI) of the IDX files (default: shipped)")
          .value(
              "--parquet", "DIR", null, "where to write the test digits as Parquet (default: temp)")
          .value("--json", "FILE", null, "write the result summary there");

  /**
   * Parses the arguments; unknown or malformed options are {@code CommandFailure}s naming the
   * option.
   */
  public static ScoreOptions parse(String[] args) {
    return of(OPTIONS.parse(args));
  }

  /** The options from parsed values, relative paths resolved against the caller's folder. */
  public static ScoreOptions of(OptionValues v) {
    v.onlyWith("--epochs", !v.given("--checkpoint"), "training without --checkpoint");
    v.onlyWith("--seed", !v.given("--checkpoint"), "training without --checkpoint");
    return new ScoreOptions(
        v.string("--master"),
        v.path("--checkpoint"),
        v.positiveInt("--epochs"),
        v.seed("--seed"),
        v.positiveInt("--batch"),
        v.positiveInt("--partitions"),
        v.path("--data"),
        v.path("--parquet"),
        v.path("--json"));
  }
}

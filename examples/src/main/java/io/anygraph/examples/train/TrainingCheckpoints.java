package io.anygraph.examples.train;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Session;
import io.anygraph.core.io.Directory;
import io.anygraph.data.io.Directories;
import io.anygraph.examples.cli.CommandFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoints of a training run and the rules of resuming it, after TensorFlow's {@code
 * MonitoredTrainingSession}: a checkpoint records the options that decide the result, and a resume
 * with other ones is refused naming the option and both values ({@code --force-resume} overrides);
 * stray {@code ckpt-N} entries are skipped with a warning, unfinished writes removed; a folder
 * without checkpoints starts fresh, saying so.
 */
final class TrainingCheckpoints {
  /** How many of the newest checkpoints are kept. */
  static final int KEEP = 3;

  /** Options that must match to resume; --epochs may grow (it says where training ends). */
  private static final List<String> MUST_MATCH =
      List.of("model", "seed", "batch", "lr", "steps_per_epoch", "train_examples");

  private final Directory dir;
  private final String location;
  private final Map<String, String> recorded;
  private final PrintStream out;

  private TrainingCheckpoints(
      Directory dir, String location, Map<String, String> recorded, PrintStream out) {
    this.dir = dir;
    this.location = location;
    this.recorded = recorded;
    this.out = out;
  }

  /**
   * The checkpoint folder of the options, with unfinished writes of killed runs removed; null when
   * there is no {@code --checkpoint}.
   */
  static TrainingCheckpoints open(
      TrainOptions o, String model, long trainExamples, long stepsPerEpoch, PrintStream out)
      throws IOException {
    if (o.checkpointDir() == null) {
      return null;
    }
    Map<String, String> recorded = new LinkedHashMap<>();
    recorded.put("model", model);
    recorded.put("seed", Long.toString(o.seed()));
    recorded.put("batch", Integer.toString(o.batchSize()));
    recorded.put("lr", Double.toString(o.learningRate()));
    recorded.put("steps_per_epoch", Long.toString(stepsPerEpoch));
    recorded.put("train_examples", Long.toString(trainExamples));
    recorded.put("epochs", Integer.toString(o.epochs()));
    Directory dir = Directories.open(o.checkpointDir());
    for (String done : Checkpoint.removeUnfinished(dir)) {
      out.printf("%s in %s, left by an interrupted checkpoint write%n", done, dir.location());
    }
    return new TrainingCheckpoints(dir, o.checkpointDir(), recorded, out);
  }

  /**
   * Restores the newest valid checkpoint and returns its step (0 when there is none). Refuses (exit
   * 2) a checkpoint of other options, or of none, unless {@code force}.
   */
  long resume(Session sess, long totalSteps, boolean force) throws IOException {
    Optional<Long> latest =
        Checkpoint.latestValid(dir, why -> out.println("warning: skipping " + why));
    if (latest.isEmpty()) {
      out.printf("no checkpoint to resume from in %s, starting at step 0%n", location);
      return 0;
    }
    long step = latest.get();
    Map<String, String> saved = Checkpoint.options(dir, step);
    if (!force) {
      check(saved, step);
    }
    Checkpoint.restore(sess, dir, step);
    if (step >= totalSteps) {
      out.printf(
          "already complete at step %d of %d (checkpoint %s/ckpt-%d)%n",
          step, totalSteps, location, step);
    } else {
      out.printf(
          "resuming from step %d of %d (checkpoint %s/ckpt-%d)%n",
          step, totalSteps, location, step);
    }
    return step;
  }

  private void check(Map<String, String> saved, long step) {
    String which = "--checkpoint " + location + ": ckpt-" + step;
    if (saved.isEmpty()) {
      throw CommandFailure.usage(
          which,
          "records no training options (an older checkpoint);"
              + " --force-resume resumes from it anyway");
    }
    for (String key : MUST_MATCH) {
      String then = saved.get(key);
      String now = recorded.get(key);
      if (!now.equals(then)) {
        throw CommandFailure.usage(
            which,
            "was trained with "
                + describe(key, then)
                + ", this run has "
                + describe(key, now)
                + " (--force-resume overrides)");
      }
    }
  }

  private static String describe(String key, String value) {
    return switch (key) {
      case "model" -> "model " + value;
      case "train_examples" -> value + " training examples";
      case "steps_per_epoch" -> value + " steps per epoch";
      default -> "--" + key + " " + value;
    };
  }

  /** Saves checkpoint {@code step} with the options of this run. */
  void save(Session sess, long step) throws IOException {
    Checkpoint.save(sess, dir, step, KEEP, recorded);
  }
}

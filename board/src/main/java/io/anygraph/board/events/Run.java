package io.anygraph.board.events;

import io.anygraph.board.GraphView;
import java.util.List;
import java.util.Map;

/**
 * What the event files of one run hold: the last graph written, and each scalar tag's values by
 * step.
 *
 * @param name the run's folder relative to the logdir ({@code "."} for the logdir itself)
 * @param graph the newest graph, or null if none was written
 * @param scalars tag → points in step order (a step written twice keeps the later value)
 * @param problems damaged files or records, in words, each naming the file and the byte offset;
 *     reading went on past them where it could
 * @param incomplete records a writer has not finished yet (the file ends inside them), in words;
 *     they are read once complete
 */
public record Run(
    String name,
    GraphView graph,
    Map<String, List<Scalar>> scalars,
    List<String> problems,
    List<String> incomplete) {
  /** One value of a scalar summary. */
  public record Scalar(long step, double wallTime, float value) {}
}

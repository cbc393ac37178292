package io.anygraph.board.events;

import io.anygraph.board.GraphView;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * The event files of one run, kept between reads: each look reads only what was appended, and the
 * same {@link Run} is returned while nothing changed. One reader per run; concurrent reads of a run
 * wait for each other instead of parsing the same files twice.
 */
final class RunReader {
  private final String run;
  private final Map<String, EventFile> files = new HashMap<>();
  private List<String> order = List.of();
  private GraphView graph;
  private Map<String, List<Run.Scalar>> points = Map.of();
  private Run last;

  RunReader(String run) {
    this.run = run;
  }

  /**
   * The run as its event files are now.
   *
   * @param eventFiles the run's event files, in name order (the order they were started in)
   */
  synchronized Run read(
      FileSystem fs,
      List<FileStatus> eventFiles,
      EventFile.Counters counters,
      long nowMillis,
      long quietMillis)
      throws IOException {
    boolean changed = false;
    List<String> names = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    Map<String, EventFile> present = new HashMap<>();
    for (FileStatus s : eventFiles) {
      String name = (run.equals(".") ? "" : run + "/") + s.getPath().getName();
      EventFile f = files.computeIfAbsent(name, n -> new EventFile(s.getPath(), n));
      try {
        changed |= f.refresh(fs, s, counters);
      } catch (FileNotFoundException e) {
        continue; // removed since the listing
      } catch (IOException e) {
        unreadable.add(name + ": could not be read (" + e.getMessage() + "); shown as read before");
      }
      names.add(name);
      present.put(name, f);
    }
    if (!names.equals(order)) {
      changed = true;
      order = names;
      files.keySet().retainAll(present.keySet());
    }
    if (changed) {
      merge();
    }
    List<String> problems = new ArrayList<>(unreadable);
    List<String> incomplete = new ArrayList<>();
    for (String name : order) {
      files.get(name).report(nowMillis, quietMillis, problems, incomplete);
    }
    if (changed
        || last == null
        || !problems.equals(last.problems())
        || !incomplete.equals(last.incomplete())) {
      last = new Run(run, graph, points, List.copyOf(problems), List.copyOf(incomplete));
    }
    return last;
  }

  /** {@code earlier} overwritten by {@code later}; a tag in one file only is not copied. */
  private static TreeMap<Long, Run.Scalar> later(
      TreeMap<Long, Run.Scalar> earlier, TreeMap<Long, Run.Scalar> later) {
    TreeMap<Long, Run.Scalar> both = new TreeMap<>(earlier);
    both.putAll(later);
    return both;
  }

  /** Files in name order; a later file's value for a step wins, as does its graph. */
  private void merge() {
    graph = null;
    Map<String, TreeMap<Long, Run.Scalar>> byTag = new TreeMap<>();
    for (String name : order) {
      EventFile f = files.get(name);
      if (f.graph() != null) {
        graph = f.graph();
      }
      f.scalars().forEach((tag, steps) -> byTag.merge(tag, steps, RunReader::later));
    }
    Map<String, List<Run.Scalar>> merged = new LinkedHashMap<>();
    byTag.forEach((tag, steps) -> merged.put(tag, List.copyOf(steps.values())));
    points = Collections.unmodifiableMap(merged);
  }
}

package io.anygraph.core.exec;

import io.anygraph.core.Graph;

/**
 * Creates runners; implementations register in {@code
 * META-INF/services/io.anygraph.core.exec.RunnerFactory}.
 */
public interface RunnerFactory {
  /** Short name used to choose a runner, e.g. {@code local}. */
  String name();

  Runner create(Graph graph);
}

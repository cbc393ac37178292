package io.anygraph.local;

import io.anygraph.core.Graph;
import io.anygraph.core.exec.Runner;
import io.anygraph.core.exec.RunnerFactory;

/** Makes {@link LocalRunner}s; registered as the {@code local} runner. */
public final class LocalRunnerFactory implements RunnerFactory {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public Runner create(Graph graph) {
    return new LocalRunner(graph);
  }
}

package io.anygraph.core.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import java.util.ServiceLoader;

/** Finds runner implementations on the classpath. */
public final class Runners {
  private Runners() {}

  /** A runner of the named kind ({@code "local"}), or the first one found when name is null. */
  public static Runner create(Graph graph, String name) {
    for (RunnerFactory f : ServiceLoader.load(RunnerFactory.class)) {
      if (name == null || f.name().equals(name)) {
        return f.create(graph);
      }
    }
    throw new AnygraphException(
        "No "
            + (name == null ? "" : "'" + name + "' ")
            + "runner on the classpath: add the anygraph-local-runner dependency");
  }
}

package io.anygraph.spark.ship;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checkpoint;
import io.anygraph.core.Checksums;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.Session;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import io.anygraph.core.Variable;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.Npy;
import io.anygraph.local.LocalRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained graph: the graph and values for its variables, shipped to executors as one unit and
 * named by its content ({@link #id()}), so each executor JVM builds one session for it.
 *
 * <pre>{@code
 * GraphModel model = GraphModel.of(session);                         // a live session's values
 * GraphModel saved = GraphModel.load(graphFolder, checkpointFolder);  // or files
 * Session s = model.session();                                       // cached per JVM
 * byte[] bytes = model.toBytes();                                    // any serializer can carry these
 * }</pre>
 *
 * <p>Java serialization writes a model as {@link #toBytes()} (graph file and raw arrays), so it
 * travels through whatever serializer a Spark session has, not only Anygraph's Kryo setup.
 */
public final class GraphModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ShippedGraph graph;
  private final Map<String, INDArray> values;
  private final String valuesSha256;

  private GraphModel(ShippedGraph graph, Map<String, INDArray> values, String valuesSha256) {
    this.graph = graph;
    this.values = Collections.unmodifiableMap(values);
    this.valuesSha256 = valuesSha256;
  }

  /** The session's graph with the current value of every initialized variable. */
  public static GraphModel of(Session session) {
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Variable v : session.graph().variables()) {
      if (session.isInitialized(v)) {
        values.put(v.node().name(), session.variableValue(v));
      }
    }
    return of(session.graph(), values);
  }

  /**
   * A graph with values by variable name (as {@link Checkpoint#read} gives them). Each name must be
   * a variable of the graph, of the variable's dtype and shape.
   */
  public static GraphModel of(Graph graph, Map<String, INDArray> values) {
    Map<String, INDArray> checked = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : values.entrySet()) {
      Variable v = variable(graph, e.getKey());
      TensorType got =
          new TensorType(DType.fromNd4j(e.getValue().dataType()), Shape.of(e.getValue().shape()));
      if (!got.equals(v.type())) {
        throw new AnygraphException(
            "Value for variable '" + e.getKey() + "' is " + got + ", the variable is " + v.type());
      }
      checked.put(e.getKey(), e.getValue().dup('c'));
    }
    return new GraphModel(ShippedGraph.of(graph), checked, hash(checked));
  }

  /** The graph file in {@code graphFolder} with the newest checkpoint in {@code checkpoints}. */
  public static GraphModel load(Directory graphFolder, Directory checkpoints) throws IOException {
    Graph g = GraphFile.read(graphFolder);
    List<Long> steps = Checkpoint.steps(checkpoints);
    if (steps.isEmpty()) {
      throw new AnygraphException("No checkpoint in " + checkpoints.location());
    }
    return of(g, Checkpoint.read(checkpoints, steps.get(steps.size() - 1)));
  }

  /**
   * Writes the model into {@code folder} as {@code graph} (a graph file) and {@code checkpoint}
   * (checkpoint 0 of the values), which {@link #load(Directory)} reads back.
   */
  public void save(Directory folder) throws IOException {
    GraphFile.save(graph(), folder, "graph");
    Checkpoint.save(values, folder.child("checkpoint"), 0);
  }

  /** The model {@link #save} wrote into {@code folder}. */
  public static GraphModel load(Directory folder) throws IOException {
    return load(folder.child("graph"), folder.child("checkpoint"));
  }

  /** For deserializers: the parts as shipped; the hash is checked against the values. */
  public static GraphModel fromParts(
      ShippedGraph graph, Map<String, INDArray> values, String valuesSha256) {
    if (!hash(values).equals(valuesSha256)) {
      throw new AnygraphException(
          "variable values of model " + graph.sha256() + " arrived corrupt");
    }
    return new GraphModel(graph, new LinkedHashMap<>(values), valuesSha256);
  }

  /** The model as bytes: the graph file and each variable's raw values, with checksums. */
  public byte[] toBytes() {
    return ModelBytes.write(this);
  }

  /** The model {@link #toBytes()} wrote; fails naming the model if the bytes arrived corrupt. */
  public static GraphModel fromBytes(byte[] bytes) {
    return ModelBytes.read(bytes);
  }

  /** Java serialization writes the bytes form instead of the fields (ND4J arrays are native). */
  private Object writeReplace() throws ObjectStreamException {
    return new SerializedForm(toBytes());
  }

  private record SerializedForm(byte[] bytes) implements Serializable {
    private Object readResolve() throws ObjectStreamException {
      return fromBytes(bytes);
    }
  }

  public Graph graph() {
    return graph.graph();
  }

  public ShippedGraph shippedGraph() {
    return graph;
  }

  /** Variable values by name (read-only; the arrays are the model's own: don't change them). */
  public Map<String, INDArray> values() {
    return values;
  }

  public String valuesSha256() {
    return valuesSha256;
  }

  /** SHA-256 of the graph's hash and the values' hash: equal for equal contents. */
  public String id() {
    return Checksums.sha256(
        (graph.sha256() + ":" + valuesSha256).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A local-runner session on this model's graph with its values set, built once per JVM and shared
   * by the tasks running there (a session runs one call at a time). {@code onBuild} runs when this
   * call is the one that builds it (e.g. to count builds in an accumulator).
   */
  public Session session(Runnable onBuild) {
    return ExecutorCache.get(
        "session",
        id(),
        () -> {
          Graph g = graph();
          Session s = new Session(g, new LocalRunner(g));
          values.forEach((name, value) -> s.setVariableValue(variable(g, name), value));
          onBuild.run();
          return s;
        });
  }

  public Session session() {
    return session(() -> {});
  }

  private static Variable variable(Graph g, String name) {
    if (!g.hasNode(name)) {
      throw new AnygraphException(
          "The model has a value for '" + name + "', which is not in the graph");
    }
    Tensor t = g.tensor(name);
    if (!(t instanceof Variable v)) {
      throw new AnygraphException(
          "The model has a value for '"
              + name
              + "', which is a '"
              + t.op()
              + "' op, not a variable");
    }
    return v;
  }

  /** SHA-256 over names, dtypes, shapes and C-order bytes, in name order. */
  private static String hash(Map<String, INDArray> values) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    values.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              all.writeBytes((e.getKey() + "\0").getBytes(StandardCharsets.UTF_8));
              all.writeBytes(Npy.toBytes(e.getValue())); // the header has dtype and shape
            });
    return Checksums.sha256(all.toByteArray());
  }

  @Override
  public String toString() {
    return "GraphModel(" + id().substring(0, 12) + ": " + graph + ", " + values.size() + " values)";
  }
}

package io.anygraph.interop.tf;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.anygraph.board.events.proto.GraphDef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * TensorFlow 1.x {@code GraphDef} import: binary {@code .pb} or text {@code .pbtxt}, built op by op
 * through {@link TfOpTable} into an Anygraph graph that trains, partitions and runs like one built
 * in Java.
 *
 * <pre>{@code
 * ImportedGraph tf = GraphDefs.importGraph(Path.of("cnn.pb"));
 * Tensor loss = tf.tensor("loss:0");
 * Tensor train = new GradientDescent(0.05).minimize(loss);
 * try (Session s = new Session(tf.graph())) {
 *   s.initializeAllVariables();
 *   s.run(train, Map.of(tf.tensor("images"), images, tf.tensor("labels"), labels));
 * }
 * }</pre>
 *
 * <p>Every node nothing reads is imported with all it needs; an op without a mapping fails the
 * whole import, naming each such node, its op and its consumers.
 */
public final class GraphDefs {
  private GraphDefs() {}

  /** Imports a binary {@code GraphDef} (as {@code tf.Graph.as_graph_def().SerializeToString()}). */
  public static ImportedGraph importGraph(byte[] graphDef) {
    return importGraph(parse(graphDef), Map.of(), List.of());
  }

  /** Imports a {@code .pb} (binary) or {@code .pbtxt} (text) file. */
  public static ImportedGraph importGraph(Path file) throws IOException {
    return importGraph(read(file), Map.of(), List.of());
  }

  /**
   * Imports a graph with variable values (TensorFlow variable name to value, e.g. from {@link
   * #readNpyValues}); a variable with a value starts from it, and its initializer ops are not
   * imported. With {@code roots}, only those nodes and what they need are imported.
   */
  public static ImportedGraph importGraph(
      GraphDef graphDef, Map<String, INDArray> values, Collection<String> roots) {
    return importGraph(graphDef, values, roots, Set.of());
  }

  /**
   * As {@link #importGraph(GraphDef, Map, Collection)}, with the placeholders named in {@code
   * sharded} split along axis 0 (the batch) in data-parallel runs ({@code Graph.sharded()}): on
   * Spark, their fed values are split across the tasks.
   */
  public static ImportedGraph importGraph(
      GraphDef graphDef,
      Map<String, INDArray> values,
      Collection<String> roots,
      Set<String> sharded) {
    return new GraphImporter(graphDef, values, roots, sharded).run();
  }

  /** Reads a binary or text GraphDef file; text when it ends in {@code .pbtxt} or {@code .txt}. */
  public static GraphDef read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    if (name.endsWith(".pbtxt") || name.endsWith(".txt")) {
      return parseText(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }
    return parse(bytes);
  }

  static GraphDef parse(byte[] bytes) {
    try {
      return GraphDef.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new GraphImportException("Not a binary GraphDef: " + e.getMessage(), e);
    }
  }

  /** Parses a text GraphDef; fields Anygraph does not read (library, versions) are skipped. */
  public static GraphDef parseText(String text, String where) {
    GraphDef.Builder b = GraphDef.newBuilder();
    try {
      TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build().merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new GraphImportException("Not a text GraphDef (" + where + "): " + e.getMessage(), e);
    }
    return b.build();
  }

  /**
   * Variable values from a folder of {@code .npy} files, one per variable, at the variable's
   * TensorFlow name: {@code dense/kernel} is {@code dense/kernel.npy}.
   */
  public static Map<String, INDArray> readNpyValues(Path folder) throws IOException {
    Map<String, INDArray> values = new HashMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".npy")).toList()) {
        String rel = folder.relativize(p).toString().replace('\\', '/');
        values.put(rel.substring(0, rel.length() - 4), Nd4j.createFromNpyFile(p.toFile()));
      }
    }
    return values;
  }
}

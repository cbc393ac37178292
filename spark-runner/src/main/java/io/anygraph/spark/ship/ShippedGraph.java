package io.anygraph.spark.ship;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Checksums;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.io.MemoryDirectory;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A graph as it travels to executors: its graph file (the documented format, written to memory) and
 * that file's SHA-256. Executors parse it once per JVM ({@link ExecutorCache}), however many tasks
 * or broadcasts bring the same bytes.
 *
 * <pre>{@code
 * ShippedGraph shipped = ShippedGraph.of(graph);           // on the driver
 * Broadcast<ShippedGraph> b = sc.broadcast(shipped, tag);
 * rdd.mapPartitions(it -> { Graph g = b.value().graph(); ... });  // parsed once per executor
 * }</pre>
 */
public final class ShippedGraph {
  private static final String FOLDER = "graph";

  /** A graph's file as written at some size and seed (graphs only grow by appending nodes). */
  private record Written(String sha256, byte[] bytes, int nodes, Long seed) {}

  /** Graphs written before, so shipping an unchanged graph every step costs nothing. */
  private static final Map<Graph, Written> WRITTEN = new WeakHashMap<>();

  private final String sha256;
  private final byte[] bytes;
  private volatile Graph graph;

  private ShippedGraph(String sha256, byte[] bytes, Graph graph) {
    this.sha256 = sha256;
    this.bytes = bytes;
    this.graph = graph;
  }

  /** The graph as it is now; it is written again only when it has grown since. */
  public static ShippedGraph of(Graph graph) {
    int nodes = graph.size();
    Long seed = graph.seed().orElse(null);
    Written w;
    synchronized (WRITTEN) {
      w = WRITTEN.get(graph);
    }
    if (w == null || w.nodes() != nodes || !Objects.equals(w.seed(), seed)) {
      MemoryDirectory mem = new MemoryDirectory();
      try {
        GraphFile.save(graph, mem, FOLDER);
      } catch (IOException e) {
        throw new IllegalStateException("writing to memory cannot fail", e);
      }
      byte[] bytes = ((MemoryDirectory) mem.child(FOLDER)).toBytes();
      w = new Written(Checksums.sha256(bytes), bytes, nodes, seed);
      synchronized (WRITTEN) {
        WRITTEN.put(graph, w);
      }
    }
    return new ShippedGraph(w.sha256(), w.bytes(), graph);
  }

  /** A shipped graph as read back from its bytes; fails if they do not match the checksum. */
  public static ShippedGraph fromBytes(String sha256, byte[] bytes) {
    if (!Checksums.sha256(bytes).equals(sha256)) {
      throw new AnygraphException(
          "shipped graph " + sha256 + " arrived corrupt (checksum mismatch)");
    }
    return new ShippedGraph(sha256, bytes, null);
  }

  /** A new graph read from graph-file bytes (as {@link #bytes()} holds them). */
  public static Graph parse(byte[] bytes) {
    try {
      return GraphFile.read(MemoryDirectory.fromBytes(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("reading from memory cannot fail", e);
    }
  }

  /** SHA-256 of {@link #bytes()}: equal graphs written alike have equal hashes. */
  public String sha256() {
    return sha256;
  }

  /** The graph file, as {@link MemoryDirectory#toBytes()} packs it. */
  public byte[] bytes() {
    return bytes;
  }

  /**
   * The graph: on the driver the one it was made from; elsewhere the one graph this JVM parsed from
   * these bytes, shared by all tasks (graphs are append-only; don't add nodes to it).
   */
  public Graph graph() {
    Graph g = graph;
    if (g == null) {
      g = ExecutorCache.get("graph", sha256, () -> parse(bytes));
      graph = g;
    }
    return g;
  }

  @Override
  public String toString() {
    return "ShippedGraph(" + sha256.substring(0, 12) + ", " + bytes.length + " bytes)";
  }
}

package io.anygraph.board;

import io.anygraph.board.events.proto.AttrValue;
import io.anygraph.board.events.proto.DataType;
import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.board.events.proto.TensorShapeProto;
import io.anygraph.core.Graph;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A graph as TensorBoard and the built-in viewer show it: TensorFlow's GraphDef, with each node's
 * device, its partitioner stage (the attribute {@value #STAGE_ATTR}) and the boundaries where
 * values are transferred between devices or cross the partitioner's stage boundaries (nodes of op
 * {@code _Transfer}, {@code _AllReduce}, {@code _AllGather}, {@code _PickReplica}: see {@link
 * BoundaryMark}). Event files hold exactly this GraphDef, so both viewers agree.
 *
 * <pre>{@code
 * GraphView plain = GraphView.of(graph);                      // devices from Node.device()
 * GraphView planned = GraphView.of(graph,
 *     Map.of("dense/matmul", new NodeAnnotation("cpu:1", "worker")),
 *     List.of(new BoundaryMark(BoundaryMark.Kind.ALL_REDUCE, "loss/mean", "adam/update", "sum")));
 * try (SummaryWriter w = SummaryWriter.open("/tmp/logs")) {
 *   w.addGraph(planned);
 * }
 * }</pre>
 */
public final class GraphView {
  /** Node attribute holding the stage label (a string). */
  public static final String STAGE_ATTR = "_anygraph_stage";

  /**
   * Node attribute listing each output's dtype (TensorFlow's {@code _output_shapes} has shapes).
   */
  public static final String OUTPUT_TYPES_ATTR = "_anygraph_output_types";

  /** Attribute of a node of a nested graph (loop body, cond branch): the node that holds it. */
  public static final String NESTED_IN_ATTR = "_anygraph_nested_in";

  /** Attribute of a boundary node: its kind, a {@link BoundaryMark.Kind#label()}. */
  public static final String BOUNDARY_ATTR = "_anygraph_boundary";

  /** Attribute of a boundary node: the node its value goes to. */
  public static final String BOUNDARY_TO_ATTR = "_anygraph_to";

  /**
   * One node as the viewer draws it.
   *
   * @param inputs data inputs as tensor names ({@code "x"} for output 0, {@code "x:1"})
   * @param controlInputs nodes that run first (boundaries left out: see {@link #boundaries()})
   * @param device the device, {@code ""} for none
   * @param stage the partitioner stage, {@code ""} for none
   * @param outputs each output's type, e.g. {@code float32[?, 784]}
   * @param attrs the op's attributes as short text
   */
  public record ViewNode(
      String name,
      String op,
      List<String> inputs,
      List<String> controlInputs,
      String device,
      String stage,
      List<String> outputs,
      Map<String, String> attrs) {}

  private final GraphDef def;

  private GraphView(GraphDef def) {
    this.def = def;
  }

  /** The graph as it is: every node's requested device, no stages, no boundaries. */
  public static GraphView of(Graph graph) {
    return of(graph, Map.of(), List.of());
  }

  /**
   * The graph with a plan's decisions: per node name, a device and stage; and boundaries.
   *
   * @throws IllegalArgumentException when an annotation or a boundary names a node not in the graph
   */
  public static GraphView of(
      Graph graph, Map<String, NodeAnnotation> annotations, List<BoundaryMark> boundaries) {
    return new GraphView(GraphDefs.of(graph, annotations, boundaries));
  }

  /** A GraphDef read from an event file (ours or TensorFlow's). */
  public static GraphView of(GraphDef def) {
    return new GraphView(def);
  }

  public GraphDef graphDef() {
    return def;
  }

  /** The graph's own nodes, boundary nodes left out. */
  public List<ViewNode> nodes() {
    Set<String> boundaryNames = new HashSet<>();
    for (NodeDef n : def.getNodeList()) {
      if (n.containsAttr(BOUNDARY_ATTR)) {
        boundaryNames.add(n.getName());
      }
    }
    List<ViewNode> nodes = new ArrayList<>();
    for (NodeDef n : def.getNodeList()) {
      if (!boundaryNames.contains(n.getName())) {
        nodes.add(view(n, boundaryNames));
      }
    }
    return nodes;
  }

  public List<BoundaryMark> boundaries() {
    List<BoundaryMark> out = new ArrayList<>();
    for (NodeDef n : def.getNodeList()) {
      if (n.containsAttr(BOUNDARY_ATTR) && n.getInputCount() > 0) {
        out.add(
            new BoundaryMark(
                BoundaryMark.Kind.fromLabel(text(n, BOUNDARY_ATTR)),
                n.getInput(0),
                text(n, BOUNDARY_TO_ATTR),
                text(n, "label")));
      }
    }
    return out;
  }

  private static ViewNode view(NodeDef n, Set<String> boundaryNames) {
    List<String> inputs = new ArrayList<>();
    List<String> controls = new ArrayList<>();
    for (String in : n.getInputList()) {
      if (!in.startsWith("^")) {
        inputs.add(in);
      } else if (!boundaryNames.contains(in.substring(1))) {
        controls.add(in.substring(1));
      }
    }
    Map<String, String> attrs = new TreeMap<>();
    n.getAttrMap()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("_")) {
                attrs.put(k, AttrValues.show(v));
              }
            });
    return new ViewNode(
        n.getName(),
        n.getOp(),
        inputs,
        controls,
        n.getDevice(),
        text(n, STAGE_ATTR),
        outputs(n),
        attrs);
  }

  /** {@code float32[?, 784]} per output, from the types and shapes the writer records. */
  private static List<String> outputs(NodeDef n) {
    List<TensorShapeProto> shapes =
        n.getAttrOrDefault("_output_shapes", AttrValue.getDefaultInstance())
            .getList()
            .getShapeList();
    List<DataType> types =
        n.getAttrOrDefault(OUTPUT_TYPES_ATTR, AttrValue.getDefaultInstance())
            .getList()
            .getTypeList();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.max(shapes.size(), types.size()); i++) {
      out.add(
          (i < types.size() ? AttrValues.label(types.get(i)) : "")
              + (i < shapes.size() ? AttrValues.show(shapes.get(i)) : ""));
    }
    return out;
  }

  private static String text(NodeDef n, String attr) {
    AttrValue v = n.getAttrMap().get(attr);
    return v == null ? "" : v.getS().toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "GraphView(" + def.getNodeCount() + " nodes)";
  }
}

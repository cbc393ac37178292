package io.anygraph.board;

import io.anygraph.board.events.proto.DataType;
import io.anygraph.board.events.proto.GraphDef;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.board.events.proto.TensorShapeProto;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Subgraph;
import io.anygraph.core.Tensor;
import io.anygraph.core.TensorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A core {@link Graph} as TensorFlow's GraphDef: node names, ops, inputs ({@code "x"}, {@code
 * "x:1"}, {@code "^x"} for control inputs), devices, attributes, and the output types as {@code
 * _output_shapes} (TensorBoard labels edges with them) and {@value GraphView#OUTPUT_TYPES_ATTR}.
 * Annotations and boundaries are written as described in {@link GraphView}.
 */
final class GraphDefs {
  private GraphDefs() {}

  static GraphDef of(
      Graph graph, Map<String, NodeAnnotation> annotations, List<BoundaryMark> boundaries) {
    List<Node> nodes = graph.nodes();
    Set<String> names = new HashSet<>();
    nodes.forEach(n -> names.add(n.name()));
    for (String name : annotations.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException(
            "annotation for '" + name + "', which is not a node of the graph");
      }
    }
    Map<String, List<String>> boundaryInputs = new HashMap<>();
    List<NodeDef> boundaryNodes = boundaryNodes(boundaries, names, boundaryInputs);
    GraphDef.Builder def = GraphDef.newBuilder();
    for (Node n : nodes) {
      NodeDef.Builder b = nodeDef(n, "");
      boundaryInputs.getOrDefault(n.name(), List.of()).forEach(c -> b.addInput("^" + c));
      NodeAnnotation a = annotations.get(n.name());
      if (a != null && a.device() != null) {
        b.setDevice(a.device());
      }
      if (a != null && a.stage() != null) {
        b.putAttr(GraphView.STAGE_ATTR, AttrValues.string(a.stage()));
      }
      def.addNode(b);
      addNested(def, n, n.name(), b.getDevice(), a == null ? null : a.stage());
    }
    return def.addAllNode(boundaryNodes).build();
  }

  /** A node under {@code prefix}: its inputs, device, attributes and output types. */
  private static NodeDef.Builder nodeDef(Node n, String prefix) {
    NodeDef.Builder b = NodeDef.newBuilder().setName(prefix + n.name()).setOp(n.op());
    for (Tensor t : n.inputs()) {
      String src = prefix + t.node().name();
      b.addInput(t.index() == 0 ? src : src + ":" + t.index());
    }
    n.controlInputs().forEach(c -> b.addInput("^" + prefix + c.name()));
    b.setDevice(n.device());
    n.attrs()
        .asMap()
        .forEach(
            (k, v) -> {
              if (v != null) {
                b.putAttr(k, AttrValues.of(v));
              }
            });
    List<TensorShapeProto> shapes = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (TensorType t : n.outputs()) {
      shapes.add(AttrValues.shape(t.shape()));
      types.add(AttrValues.dataType(t.dtype()));
    }
    b.putAttr("_output_shapes", AttrValues.shapes(shapes));
    b.putAttr(GraphView.OUTPUT_TYPES_ATTR, AttrValues.types(types));
    return b;
  }

  /**
   * The nested graphs of a control-flow node (a loop body, a cond branch) as nodes named {@code
   * node/attr/inner}: the viewers draw them inside the node's scope, a group that collapses like a
   * name scope. They run where the node runs, so they get its device and stage.
   */
  private static void addNested(
      GraphDef.Builder def, Node n, String name, String device, String stage) {
    for (Map.Entry<String, Object> a : n.attrs().asMap().entrySet()) {
      if (a.getValue() instanceof Subgraph sub) {
        String prefix = name + "/" + a.getKey() + "/";
        for (Node inner : sub.graph().nodes()) {
          NodeDef.Builder b = nodeDef(inner, prefix).setDevice(device);
          b.putAttr(GraphView.NESTED_IN_ATTR, AttrValues.string(name));
          if (stage != null) {
            b.putAttr(GraphView.STAGE_ATTR, AttrValues.string(stage));
          }
          def.addNode(b);
          addNested(def, inner, prefix + inner.name(), device, stage);
        }
      }
    }
  }

  /**
   * One node per boundary, in the name scope of the node it feeds (so it collapses with it),
   * reading {@code from}; {@code to} gets it as a control input, so the mark sits on the edge.
   */
  private static List<NodeDef> boundaryNodes(
      List<BoundaryMark> boundaries, Set<String> names, Map<String, List<String>> inputsOf) {
    List<NodeDef> out = new ArrayList<>();
    for (BoundaryMark bd : boundaries) {
      for (String end : List.of(bd.fromNode(), bd.to())) {
        if (!names.contains(end)) {
          throw new IllegalArgumentException(
              bd.kind().label()
                  + " boundary "
                  + bd.from()
                  + " -> "
                  + bd.to()
                  + ": '"
                  + end
                  + "' is not a node of the graph");
        }
      }
      int slash = bd.to().lastIndexOf('/');
      String base = (slash < 0 ? "" : bd.to().substring(0, slash + 1)) + "_" + bd.kind().label();
      String name = base;
      for (int i = 1; names.contains(name); i++) {
        name = base + "_" + i;
      }
      names.add(name);
      out.add(
          NodeDef.newBuilder()
              .setName(name)
              .setOp(bd.kind().op())
              .addInput(bd.from())
              .putAttr(GraphView.BOUNDARY_ATTR, AttrValues.string(bd.kind().label()))
              .putAttr(GraphView.BOUNDARY_TO_ATTR, AttrValues.string(bd.to()))
              .putAttr("label", AttrValues.string(bd.label()))
              .build());
      inputsOf.computeIfAbsent(bd.to(), k -> new ArrayList<>()).add(name);
    }
    return out;
  }
}

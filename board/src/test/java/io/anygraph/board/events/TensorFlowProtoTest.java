package io.anygraph.board.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.board.BoundaryMark;
import io.anygraph.board.GraphView;
import io.anygraph.board.NodeAnnotation;
import io.anygraph.board.TestGraphs;
import io.anygraph.core.Graph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/** Our event files parsed by TensorFlow's own generated classes (tensorflow-core-native 1.1.0). */
class TensorFlowProtoTest {
  @TempDir Path tmp;

  private List<Event> events(SummaryWriter w) throws IOException {
    List<Event> out = new ArrayList<>();
    for (byte[] r : WireParser.records(SummaryWriterTest.bytesOf(w))) {
      out.add(Event.parseFrom(r));
    }
    return out;
  }

  private static Map<String, NodeDef> byName(GraphDef def) {
    return def.getNodeList().stream().collect(Collectors.toMap(NodeDef::getName, n -> n));
  }

  @Test
  void tensorFlowReadsTheVersionGraphAndScalars() throws IOException {
    SummaryWriter w = SummaryWriter.open(tmp.toString());
    w.addGraph(TestGraphs.dense());
    w.addScalar("loss", 0.75, 7);
    w.close();
    List<Event> events = events(w);
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    GraphDef def = GraphDef.parseFrom(events.get(1).getGraphDef());
    Map<String, NodeDef> nodes = byName(def);

    NodeDef x = nodes.get("x");
    assertEquals("placeholder", x.getOp());
    assertEquals(DataType.DT_FLOAT, x.getAttrOrThrow("dtype").getType());
    TensorShapeProto shape = x.getAttrOrThrow("shape").getShape();
    assertEquals(
        List.of(-1L, 4L), shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList());

    NodeDef matmul = nodes.get("dense/matmul");
    assertEquals(List.of("x", "dense/w"), matmul.getInputList());
    assertFalse(matmul.getAttrOrThrow("transposeA").getB());
    TensorShapeProto out = matmul.getAttrOrThrow("_output_shapes").getList().getShape(0);
    assertEquals(
        List.of(-1L, 3L), out.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList());

    NodeDef bias =
        def.getNodeList().stream()
            .filter(
                n ->
                    n.getOp().equals("constant")
                        && n.getAttrOrThrow("value").getTensor().getTensorShape().getDimCount() == 2
                        && n.getAttrOrThrow("value")
                                .getTensor()
                                .getTensorShape()
                                .getDim(1)
                                .getSize()
                            == 3)
            .findFirst()
            .orElseThrow();
    AttrValue value = bias.getAttrOrThrow("value");
    assertEquals(DataType.DT_FLOAT, value.getTensor().getDtype());
    assertEquals(List.of(0.1f, 0.1f, 0.1f), value.getTensor().getFloatValList());

    assertTrue(
        nodes.keySet().stream().anyMatch(n -> n.startsWith("gradients/")),
        nodes.keySet().toString());
    NodeDef assign = nodes.get("dense/w/Assign");
    assertEquals("dense/w", assign.getInput(0));

    Event loss = events.get(2);
    assertEquals(7, loss.getStep());
    assertEquals("loss", loss.getSummary().getValue(0).getTag());
    assertEquals(0.75f, loss.getSummary().getValue(0).getSimpleValue());
  }

  @Test
  void devicesStagesAndBoundariesAreInTheGraphDef() throws IOException {
    Graph g = TestGraphs.dense();
    GraphView view =
        GraphView.of(
            g,
            Map.of(
                "dense/matmul",
                new NodeAnnotation("cpu:1", "worker"),
                "loss/reduceMean",
                new NodeAnnotation(null, "driver")),
            List.of(
                new BoundaryMark(
                    BoundaryMark.Kind.ALL_REDUCE, "dense/matmul", "dense/add", "sum of 2")));
    SummaryWriter w = SummaryWriter.open(tmp.toString());
    w.addGraph(view);
    w.close();
    Map<String, NodeDef> nodes = byName(GraphDef.parseFrom(events(w).get(1).getGraphDef()));
    NodeDef matmul = nodes.get("dense/matmul");
    assertEquals("cpu:1", matmul.getDevice());
    assertEquals("worker", matmul.getAttrOrThrow("_anygraph_stage").getS().toStringUtf8());
    assertEquals(
        "driver",
        nodes.get("loss/reduceMean").getAttrOrThrow("_anygraph_stage").getS().toStringUtf8());

    NodeDef mark = nodes.get("dense/_all_reduce");
    assertEquals("_AllReduce", mark.getOp());
    assertEquals(List.of("dense/matmul"), mark.getInputList());
    assertEquals("sum of 2", mark.getAttrOrThrow("label").getS().toStringUtf8());
    assertTrue(nodes.get("dense/add").getInputList().contains("^dense/_all_reduce"));
  }
}

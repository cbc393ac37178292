package io.anygraph.board.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.board.Boundary;
import io.anygraph.board.GraphView;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.Run;
import java.io.IOException;
import java.util.List;

/**
 * The JSON the page draws: the list of runs, and per run its graph ({@code nodes}, {@code
 * boundaries}), its scalars ({@code tag → [[step, value, wallTime], ...]}), problems and
 * records still being written ({@code incomplete}).
 */
final class BoardJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private BoardJson() {}

  static ObjectNode runs(Logdir logdir) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("logdir", logdir.location());
    ArrayNode runs = o.putArray("runs");
    logdir.runs().forEach(runs::add);
    return o;
  }

  static ObjectNode run(Run run) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", run.name());
    if (run.graph() == null) {
      o.putNull("graph");
    } else {
      o.set("graph", graph(run.graph()));
    }
    ObjectNode scalars = o.putObject("scalars");
    run.scalars().forEach((tag, points) -> {
      ArrayNode a = scalars.putArray(tag);
      for (Run.Scalar s : points) {
        a.addArray().add(s.step()).add(s.value()).add(s.wallTime());
      }
    });
    ArrayNode problems = o.putArray("problems");
    run.problems().forEach(problems::add);
    ArrayNode incomplete = o.putArray("incomplete");
    run.incomplete().forEach(incomplete::add);
    return o;
  }

  static ObjectNode graph(GraphView view) {
    ObjectNode g = MAPPER.createObjectNode();
    ArrayNode nodes = g.putArray("nodes");
    for (GraphView.ViewNode n : view.nodes()) {
      ObjectNode j = nodes.addObject();
      j.put("name", n.name());
      j.put("op", n.op());
      strings(j.putArray("inputs"), n.inputs());
      strings(j.putArray("controlInputs"), n.controlInputs());
      j.put("device", n.device());
      j.put("stage", n.stage());
      strings(j.putArray("outputs"), n.outputs());
      ObjectNode attrs = j.putObject("attrs");
      n.attrs().forEach(attrs::put);
    }
    ArrayNode boundaries = g.putArray("boundaries");
    for (Boundary b : view.boundaries()) {
      boundaries.addObject().put("kind", b.kind().label()).put("from", b.from()).put("to", b.to())
          .put("label", b.label());
    }
    return g;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}

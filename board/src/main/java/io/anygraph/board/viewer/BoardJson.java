package io.anygraph.board.viewer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.anygraph.board.BoundaryMark;
import io.anygraph.board.GraphView;
import io.anygraph.board.events.Logdir;
import io.anygraph.board.events.Run;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON the page draws: the list of runs, and per run its graph ({@code nodes}, {@code
 * boundaries}), its scalars ({@code tag → [[step, value, wallTime], ...]}), problems and records
 * still being written ({@code incomplete}).
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
    // written straight to the output when serialized: a node per number would take gigabytes
    // for the millions of points a long run can have
    o.putRawValue("scalars", new RawValue(new ScalarsJson(run.scalars())));
    ArrayNode problems = o.putArray("problems");
    run.problems().forEach(problems::add);
    ArrayNode incomplete = o.putArray("incomplete");
    run.incomplete().forEach(incomplete::add);
    return o;
  }

  /** {@code tag → [[step, value, wallTime], ...]}, streamed. */
  private record ScalarsJson(Map<String, List<Run.Scalar>> scalars) implements JsonSerializable {
    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeStartObject();
      for (Map.Entry<String, List<Run.Scalar>> tag : scalars.entrySet()) {
        gen.writeArrayFieldStart(tag.getKey());
        for (Run.Scalar s : tag.getValue()) {
          gen.writeStartArray();
          gen.writeNumber(s.step());
          gen.writeNumber(s.value());
          gen.writeNumber(s.wallTime());
          gen.writeEndArray();
        }
        gen.writeEndArray();
      }
      gen.writeEndObject();
    }

    @Override
    public void serializeWithType(
        JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(gen, serializers);
    }
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
    for (BoundaryMark b : view.boundaries()) {
      boundaries
          .addObject()
          .put("kind", b.kind().label())
          .put("from", b.from())
          .put("to", b.to())
          .put("label", b.label());
    }
    return g;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}

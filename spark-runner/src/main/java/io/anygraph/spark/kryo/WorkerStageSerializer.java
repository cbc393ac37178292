package io.anygraph.spark.kryo;

import static io.anygraph.spark.kryo.KryoFields.readStrings;
import static io.anygraph.spark.kryo.KryoFields.writeStrings;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.exec.WorkerStage;
import io.anygraph.spark.ship.ShippedGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link WorkerStage} (broadcast once per plan) field by field: its graph through the
 * shipped-graph serializer, then names, shard axes, columns and each boundary's aggregation.
 */
public final class WorkerStageSerializer extends Serializer<WorkerStage> {
  private final Serializer<ShippedGraph> graphs;

  public WorkerStageSerializer(Serializer<ShippedGraph> graphs) {
    this.graphs = graphs;
  }

  @Override
  public void write(Kryo k, Output out, WorkerStage s) {
    graphs.write(k, out, s.graph());
    writeStrings(out, s.outputs());
    writeStrings(out, s.feeds());
    out.writeVarInt(s.shardAxes().size(), true);
    s.shardAxes()
        .forEach(
            (f, axis) -> {
              out.writeString(f);
              out.writeVarInt(axis, true);
            });
    out.writeString(s.globalBatch());
    out.writeVarInt(s.columns().size(), true);
    s.columns()
        .forEach(
            (f, c) -> {
              out.writeString(f);
              out.writeString(c);
            });
    out.writeVarInt(s.boundaries().size(), true);
    for (WorkerStage.Aggregation a : s.boundaries()) {
      out.writeVarInt(a.kind().ordinal(), true);
      out.writeVarInt(a.output(), true);
      out.writeInt(a.axis());
    }
  }

  @Override
  public WorkerStage read(Kryo k, Input in, Class<WorkerStage> type) {
    ShippedGraph g = graphs.read(k, in, ShippedGraph.class);
    List<String> outputs = readStrings(in);
    List<String> feeds = readStrings(in);
    Map<String, Integer> axes = new LinkedHashMap<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      axes.put(in.readString(), in.readVarInt(true));
    }
    String globalBatch = in.readString();
    Map<String, String> columns = new LinkedHashMap<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      columns.put(in.readString(), in.readString());
    }
    List<WorkerStage.Aggregation> aggs = new ArrayList<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      aggs.add(
          new WorkerStage.Aggregation(
              Boundary.Kind.values()[in.readVarInt(true)], in.readVarInt(true), in.readInt()));
    }
    return new WorkerStage(g, outputs, feeds, axes, globalBatch, columns, aggs);
  }
}

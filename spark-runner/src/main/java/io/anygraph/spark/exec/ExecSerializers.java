package io.anygraph.spark.exec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.anygraph.partition.stage.Boundary;
import io.anygraph.spark.kryo.NdArraySerializer;
import io.anygraph.spark.ship.ShippedGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kryo serializers of what a Spark step ships: the worker stage and the variables (broadcast),
 * driver-side shards (job data) and the tasks' results. Field by field, arrays as raw bytes.
 */
public final class ExecSerializers {
  private ExecSerializers() {}

  /** Registers the step's classes; call after the array and graph serializers. */
  public static void register(Kryo kryo, NdArraySerializer arrays, Serializer<ShippedGraph> graphs) {
    kryo.register(WorkerStage.class, new Serializer<WorkerStage>() {
      @Override
      public void write(Kryo k, Output out, WorkerStage s) {
        graphs.write(k, out, s.graph());
        strings(out, s.outputs());
        strings(out, s.feeds());
        out.writeVarInt(s.shardAxes().size(), true);
        s.shardAxes().forEach((f, axis) -> {
          out.writeString(f);
          out.writeVarInt(axis, true);
        });
        out.writeString(s.globalBatch());
        out.writeVarInt(s.columns().size(), true);
        s.columns().forEach((f, c) -> {
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
        List<String> outputs = strings(in);
        List<String> feeds = strings(in);
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
          aggs.add(new WorkerStage.Aggregation(Boundary.Kind.values()[in.readVarInt(true)],
              in.readVarInt(true), in.readInt()));
        }
        return new WorkerStage(g, outputs, feeds, axes, globalBatch, columns, aggs);
      }
    });
    kryo.register(VariableValues.class, new Serializer<VariableValues>() {
      @Override
      public void write(Kryo k, Output out, VariableValues v) {
        out.writeVarLong(v.version(), true);
        named(k, out, arrays, v.values());
      }

      @Override
      public VariableValues read(Kryo k, Input in, Class<VariableValues> type) {
        return new VariableValues(in.readVarLong(true), named(k, in, arrays));
      }
    });
    kryo.register(ShardFeed.class, new Serializer<ShardFeed>() {
      @Override
      public void write(Kryo k, Output out, ShardFeed s) {
        out.writeVarInt(s.index(), true);
        ints(out, s.positions());
        named(k, out, arrays, s.feeds());
      }

      @Override
      public ShardFeed read(Kryo k, Input in, Class<ShardFeed> type) {
        return new ShardFeed(in.readVarInt(true), ints(in), named(k, in, arrays));
      }
    });
    kryo.register(StepResult.class, new Serializer<StepResult>() {
      @Override
      public void write(Kryo k, Output out, StepResult r) {
        int n = r.sums.length;
        out.writeVarInt(n, true);
        out.writeVarLong(r.rows, true);
        out.writeVarLong(r.computeNanos, true);
        out.writeVarLong(r.maxComputeNanos, true);
        out.writeVarLong(r.maxDeserializeNanos, true);
        for (int i = 0; i < n; i++) {
          optional(k, out, arrays, r.sums[i]);
          out.writeVarInt(r.slices.get(i).size(), true);
          for (int j = 0; j < r.slices.get(i).size(); j++) {
            ints(out, r.positions.get(i).get(j));
            arrays.write(k, out, r.slices.get(i).get(j));
          }
          out.writeInt(r.pickedFrom[i]);
          optional(k, out, arrays, r.picked[i]);
        }
      }

      @Override
      public StepResult read(Kryo k, Input in, Class<StepResult> type) {
        int n = in.readVarInt(true);
        StepResult r = new StepResult(n);
        r.rows = in.readVarLong(true);
        r.computeNanos = in.readVarLong(true);
        r.maxComputeNanos = in.readVarLong(true);
        r.maxDeserializeNanos = in.readVarLong(true);
        for (int i = 0; i < n; i++) {
          r.sums[i] = optional(k, in, arrays);
          for (int j = in.readVarInt(true); j > 0; j--) {
            r.positions.get(i).add(ints(in));
            r.slices.get(i).add(arrays.read(k, in, INDArray.class));
          }
          r.pickedFrom[i] = in.readInt();
          r.picked[i] = optional(k, in, arrays);
        }
        return r;
      }
    });
  }

  private static void strings(Output out, List<String> list) {
    out.writeVarInt(list.size(), true);
    list.forEach(out::writeString);
  }

  private static List<String> strings(Input in) {
    List<String> out = new ArrayList<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      out.add(in.readString());
    }
    return out;
  }

  private static void ints(Output out, int[] a) {
    out.writeVarInt(a.length, true);
    out.writeInts(a, true);
  }

  private static int[] ints(Input in) {
    return in.readInts(in.readVarInt(true), true);
  }

  private static void named(Kryo k, Output out, NdArraySerializer arrays, Map<String, INDArray> m) {
    out.writeVarInt(m.size(), true);
    m.forEach((name, a) -> {
      out.writeString(name);
      arrays.write(k, out, a);
    });
  }

  private static Map<String, INDArray> named(Kryo k, Input in, NdArraySerializer arrays) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    for (int i = in.readVarInt(true); i > 0; i--) {
      m.put(in.readString(), arrays.read(k, in, INDArray.class));
    }
    return m;
  }

  private static void optional(Kryo k, Output out, NdArraySerializer arrays, INDArray a) {
    out.writeBoolean(a != null);
    if (a != null) {
      arrays.write(k, out, a);
    }
  }

  private static INDArray optional(Kryo k, Input in, NdArraySerializer arrays) {
    return in.readBoolean() ? arrays.read(k, in, INDArray.class) : null;
  }
}

package io.anygraph.bench;

import io.anygraph.examples.bench.Workload;
import io.anygraph.local.exec.OpProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A TensorFlow graph-mode training step: one {@code Session.run} of the SGD update target, fed with
 * the batch. Each batch is converted to TensorFlow tensors the first time it is seen and kept (the
 * benchmark cycles through the same prepared batches), as Anygraph takes the ND4J arrays as they
 * are.
 */
final class TfWorkload implements Workload {
  private final Graph graph;
  private final Session session;
  private final Operand<TFloat32> x;
  private final Operand<TInt32> y;
  private final Operand<TFloat32> loss;
  private final Op train;
  private final Map<String, Operand<TFloat32>> variables;
  private final Map<INDArray, TFloat32> features = new IdentityHashMap<>();
  private final Map<INDArray, TInt32> labels = new IdentityHashMap<>();

  /** Takes ownership of the graph; {@code variables} are keyed by Anygraph's names. */
  TfWorkload(
      Graph graph,
      Operand<TFloat32> x,
      Operand<TInt32> y,
      Operand<TFloat32> loss,
      Op train,
      Map<String, Operand<TFloat32>> variables) {
    this.graph = graph;
    this.session = new Session(graph);
    this.x = x;
    this.y = y;
    this.loss = loss;
    this.train = train;
    this.variables = variables;
    session.initialize();
  }

  @Override
  public String name() {
    return "TensorFlow";
  }

  @Override
  public void step(INDArray f, INDArray l) {
    session.runner().feed(x, tensor(f)).feed(y, tensor(l)).addTarget(train).run().close();
  }

  @Override
  public double loss(INDArray f, INDArray l) {
    try (Result r = session.runner().feed(x, tensor(f)).feed(y, tensor(l)).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  @Override
  public Map<String, INDArray> parameters() {
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Map.Entry<String, Operand<TFloat32>> v : variables.entrySet()) {
      try (Result r = session.runner().fetch(v.getValue()).run()) {
        values.put(v.getKey(), TfArrays.toNd4j(r.get(0)));
      }
    }
    return values;
  }

  /**
   * The op types TensorFlow ran for one traced step on the last batch seen: oneDNN's appear as
   * {@code _Mkl...} (TensorFlow rewrites the graph to them when oneDNN is on).
   */
  @Override
  public String kernels() {
    if (features.isEmpty()) {
      return "";
    }
    INDArray f = features.keySet().iterator().next();
    INDArray l = labels.keySet().iterator().next();
    Set<String> ops = new TreeSet<>();
    for (NodeExecStats n : tracedStep(f, l)) {
      ops.add(opType(n.getTimelineLabel()));
    }
    ops.remove("");
    long onednn = ops.stream().filter(o -> o.startsWith("_Mkl")).count();
    return onednn + " of " + ops.size() + " op types are oneDNN's: " + String.join(" ", ops);
  }

  /**
   * TensorFlow's own op times, from {@code steps} steps traced with {@code FULL_TRACE} on one
   * batch: each node's time from the start of its kernel to its end, summed by op type (as the
   * timeline names it: oneDNN's as {@code _Mkl...}) and by node.
   */
  @Override
  public OpTimes opTimes(INDArray f, INDArray l, int steps) {
    Map<String, long[]> byOp = new HashMap<>(); // nanos, calls
    Map<String, long[]> byNode = new HashMap<>();
    for (int s = 0; s < steps; s++) {
      for (NodeExecStats n : tracedStep(f, l)) {
        String op = opType(n.getTimelineLabel());
        if (op.isEmpty()) {
          continue; // the executor's own entries (_SOURCE)
        }
        long nanos = 1000 * (n.getOpEndRelMicros() - n.getOpStartRelMicros());
        add(byOp, op, nanos);
        add(byNode, n.getNodeName() + " (" + op + ")", nanos);
      }
    }
    return new OpTimes(steps, rows(byOp), rows(byNode));
  }

  /** One training step traced with {@code FULL_TRACE}: every node's stats, on every device. */
  private List<NodeExecStats> tracedStep(INDArray f, INDArray l) {
    RunOptions trace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (Result r =
        session
            .runner()
            .feed(x, tensor(f))
            .feed(y, tensor(l))
            .addTarget(train)
            .setOptions(trace)
            .runAndFetchMetadata()) {
      List<NodeExecStats> nodes = new ArrayList<>();
      RunMetadata meta = r.getMetadata().orElseThrow();
      meta.getStepStats().getDevStatsList().forEach(d -> nodes.addAll(d.getNodeStatsList()));
      return nodes;
    }
  }

  private static void add(Map<String, long[]> sums, String key, long nanos) {
    long[] v = sums.computeIfAbsent(key, k -> new long[2]);
    v[0] += nanos;
    v[1]++;
  }

  private static List<OpProfile.Row> rows(Map<String, long[]> sums) {
    List<OpProfile.Row> rows = new ArrayList<>();
    sums.forEach((k, v) -> rows.add(new OpProfile.Row(k, v[0], v[1])));
    rows.sort(Comparator.comparingLong(OpProfile.Row::nanos).reversed());
    return rows;
  }

  /** The op type in a timeline label such as {@code "MatMul = _MklMatMul(x, w0)"}. */
  private static String opType(String label) {
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(eq, 0));
    return eq < 0 || paren < 0 ? "" : label.substring(eq + 3, paren);
  }

  @SuppressWarnings("unchecked")
  private <T extends Tensor> T tensor(INDArray a) {
    if (a.dataType().isFPType()) {
      return (T) features.computeIfAbsent(a, TfArrays::floats);
    }
    return (T) labels.computeIfAbsent(a, TfArrays::ints);
  }

  @Override
  public void close() {
    features.values().forEach(Tensor::close);
    labels.values().forEach(Tensor::close);
    session.close();
    graph.close();
  }
}

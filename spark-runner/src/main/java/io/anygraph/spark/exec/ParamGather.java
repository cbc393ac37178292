package io.anygraph.spark.exec;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Graph;
import io.anygraph.spark.exchange.Slices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/**
 * The parameters of a sharded step's worker tasks without the driver in the data path: the previous
 * step's slice results (cached with their owners) all-gathered by a shuffle, each owner emitting
 * its parameter slices once per worker partition, keyed by the worker's index; each worker task
 * joins the slices it receives into whole parameters ({@link #join}). Spark's lineage recomputes a
 * lost piece like any other shuffle output.
 */
final class ParamGather {
  private ParamGather() {}

  /**
   * The parameter slices of {@code last} ({@code params} of each slice's state), one copy per
   * worker partition, partitioned so that partition {@code w} holds every slice for worker {@code
   * w}: zippable with the worker tasks' {@code workers} partitions.
   */
  static JavaPairRDD<Integer, VariableSnapshot> gathered(
      JavaRDD<SliceResult> last, List<String> params, int workers) {
    return last.flatMapToPair(new Emit(List.copyOf(params), workers))
        .partitionBy(new HashPartitioner(workers)); // Integer keys 0..workers-1: key w to w
  }

  /** One slice owner's parameter slices, once for every worker partition. */
  record Emit(List<String> params, int workers)
      implements PairFlatMapFunction<SliceResult, Integer, VariableSnapshot> {
    @Override
    public Iterator<Tuple2<Integer, VariableSnapshot>> call(SliceResult r) {
      Map<String, INDArray> mine = new LinkedHashMap<>();
      params.forEach(p -> mine.put(p, r.state().get(p)));
      VariableSnapshot slice = new VariableSnapshot(r.slice(), mine);
      List<Tuple2<Integer, VariableSnapshot>> out = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        out.add(new Tuple2<>(w, slice));
      }
      return out.iterator();
    }
  }

  /**
   * The whole parameters from one worker's gathered slices (any order: sorted by slice index here),
   * shaped as the variables of {@code worker}, the worker stage's graph.
   *
   * @throws AnygraphException when a slice is missing or repeated
   */
  static Map<String, INDArray> join(Iterator<Tuple2<Integer, VariableSnapshot>> in, Graph worker) {
    List<VariableSnapshot> slices = new ArrayList<>();
    in.forEachRemaining(t -> slices.add(t._2()));
    slices.sort(Comparator.comparingLong(VariableSnapshot::version));
    for (int k = 0; k < slices.size(); k++) {
      if (slices.get(k).version() != k) {
        throw new AnygraphException(
            "Gathered parameters: expected slice "
                + k
                + " of "
                + slices.size()
                + ", got slice "
                + slices.get(k).version()
                + " (slices "
                + slices.stream().map(VariableSnapshot::version).toList()
                + ")");
      }
    }
    Map<String, INDArray> whole = new LinkedHashMap<>();
    if (slices.isEmpty()) {
      return whole;
    }
    for (String name : slices.get(0).values().keySet()) {
      List<INDArray> parts = slices.stream().map(s -> s.values().get(name)).toList();
      whole.put(name, Slices.join(parts, worker.node(name).output(0).shape().dims()));
    }
    return whole;
  }
}

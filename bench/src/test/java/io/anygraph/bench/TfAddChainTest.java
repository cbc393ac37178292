package io.anygraph.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * The dispatch figure's TensorFlow chain really runs one kernel per add: with Grappler on, it would
 * fold the chain and the µs/op figure would measure nothing.
 */
class TfAddChainTest {
  @Test
  void theChainRunsEveryAddAndSumsThem() {
    int n = 50;
    TfNets.AddChain chain = TfNets.AddChain.build(n);
    RunOptions trace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (TFloat32 input = TFloat32.vectorOf(1, 2, 3, 4);
        Result r =
            chain
                .session()
                .runner()
                .feed(chain.x(), input)
                .fetch(chain.result())
                .setOptions(trace)
                .runAndFetchMetadata()) {
      TFloat32 out = (TFloat32) r.get(0);
      float[] values = new float[4];
      for (int i = 0; i < 4; i++) {
        values[i] = out.getFloat(i);
      }
      assertArrayEquals(new float[] {1 + n, 2 + n, 3 + n, 4 + n}, values);
      long adds =
          r.getMetadata().orElseThrow().getStepStats().getDevStatsList().stream()
              .flatMap(d -> d.getNodeStatsList().stream())
              .map(NodeExecStats::getTimelineLabel)
              .filter(label -> label.contains(" = Add"))
              .count();
      assertEquals(n, adds, "add kernels run");
    }
  }
}

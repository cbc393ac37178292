package io.anygraph.local.plan;

import io.anygraph.core.Graph;
import io.anygraph.core.Tensor;
import io.anygraph.local.exec.Compiler;
import io.anygraph.local.exec.Program;
import io.anygraph.local.state.Rendezvous;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Stage;
import io.anygraph.partition.device.DeviceGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs one stage of a plan: each device subgraph compiled once, and on several devices run
 * concurrently on their device threads, meeting at a fresh {@link Rendezvous} each run. A device
 * that fails aborts the rendezvous, so the others stop waiting and the first failure is reported.
 */
public final class StageRunner {
  private record Part(DeviceGraph device, Program program, List<String> feeds) {}

  private final Stage stage;
  private final List<Part> parts = new ArrayList<>();

  public StageRunner(Stage stage) {
    this.stage = stage;
    boolean several = stage.devices().size() > 1;
    for (DeviceGraph dg : stage.devices()) {
      Graph g = dg.graph();
      List<String> feeds =
          stage.feeds().stream()
              .filter(f -> g.hasNode(f.substring(0, f.lastIndexOf(':'))))
              .toList();
      List<Tensor> fetches = dg.outputs().stream().map(g::tensor).toList();
      Program p = Compiler.compile(fetches, feeds.stream().map(g::tensor).toList(), several);
      parts.add(new Part(dg, p, feeds));
    }
  }

  public Stage stage() {
    return stage;
  }

  /**
   * Values of the stage's outputs, in order, for feeds given by placeholder tensor name. A
   * single-device stage runs on the calling thread unless it is a GPU.
   */
  public List<INDArray> run(Map<String, INDArray> feeds, RunState state, LogicalDevices devices) {
    Map<String, INDArray> values = new HashMap<>();
    if (parts.size() == 1 && !parts.get(0).device().device().startsWith("gpu:")) {
      values.putAll(runPart(parts.get(0), feeds, state));
    } else {
      Rendezvous r = new Rendezvous();
      RunState rs = state.withRendezvous(r);
      List<Future<Map<String, INDArray>>> running = new ArrayList<>();
      for (Part p : parts) {
        running.add(
            devices.submit(
                p.device().device(),
                () -> {
                  try {
                    return runPart(p, feeds, rs);
                  } catch (RuntimeException | Error e) {
                    r.abort(e);
                    throw e;
                  }
                }));
      }
      LogicalDevices.await(running).forEach(values::putAll);
    }
    List<INDArray> out = new ArrayList<>(stage.outputs().size());
    for (String name : stage.outputs()) {
      out.add(values.get(name));
    }
    return out;
  }

  private static Map<String, INDArray> runPart(
      Part p, Map<String, INDArray> feeds, RunState state) {
    Graph g = p.device().graph();
    Map<Tensor, INDArray> fed = new HashMap<>();
    for (String f : p.feeds()) {
      INDArray v = feeds.get(f);
      if (v == null) {
        throw new IllegalStateException("stage placeholder " + f + " was not fed");
      }
      fed.put(g.tensor(f), v);
    }
    List<INDArray> out = p.program().run(fed, state);
    Map<String, INDArray> byName = new HashMap<>();
    for (int i = 0; i < out.size(); i++) {
      byName.put(p.device().outputs().get(i), out.get(i));
    }
    return byName;
  }
}

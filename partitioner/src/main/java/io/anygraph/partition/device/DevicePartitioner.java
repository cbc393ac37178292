package io.anygraph.partition.device;

import io.anygraph.core.Attrs;
import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Schedule;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.common.GraphCopy;
import io.anygraph.partition.placement.CostModel;
import io.anygraph.partition.placement.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a placed stage graph into one graph per device, turning every edge that crosses devices
 * into a send/recv pair. Nodes keep the stage's run order ({@link Schedule#order}) on every device,
 * and a value is sent only when its first consumer on the other device comes up, so each device's
 * sequence is a slice of one global order: the earliest pending step of all devices can always run,
 * and no device waits forever.
 */
public final class DevicePartitioner {
  private DevicePartitioner() {}

  public static List<DeviceGraph> partition(
      Graph stage, List<String> fetches, Set<Tensor> fed, Placement placement) {
    List<Tensor> fetchTensors = fetches.stream().map(stage::tensor).toList();
    List<Node> order = Schedule.order(Schedule.needed(fetchTensors, fed), fed);
    List<String> used = order.stream().map(placement::device).distinct().toList();
    if (used.size() <= 1) {
      String d = used.isEmpty() ? "cpu:0" : used.get(0);
      return List.of(new DeviceGraph(d, stage, fetches, List.of(), List.of()));
    }
    Map<String, Part> parts = new LinkedHashMap<>();
    for (String d : used) {
      parts.put(d, new Part(d, new GraphCopy(stage)));
    }
    for (Tensor t : fed) {
      // fed values enter on every device that reads them
      parts
          .values()
          .forEach(p -> p.copy.placeholder(t, t.node().name(), t.type(), t.node().attrs()));
    }
    Map<String, Transfer> done = new HashMap<>();
    for (Node n : order) {
      Part here = parts.get(placement.device(n));
      for (Tensor ref : n.inputs().subList(0, n.inputs().size() - Schedule.valueInputs(n).size())) {
        if (here.copy.node(ref.node()) == null) {
          here.copy.copy(ref.node()); // the variable an update refers to: colocated, so local
        }
      }
      List<Tensor> inputs = new ArrayList<>();
      for (Tensor in : n.inputs()) {
        boolean local = fed.contains(in) || placement.device(in.node()).equals(here.device);
        inputs.add(
            local
                ? here.copy.get(in)
                : receive(in, parts.get(placement.device(in.node())), here, done));
      }
      List<Node> remoteControls = new ArrayList<>();
      for (Node c : n.controlInputs()) {
        if (!placement.device(c).equals(here.device)) {
          remoteControls.add(receiveToken(c, parts.get(placement.device(c)), here, done).node());
        }
      }
      here.copy.copy(n, inputs, n.attrs(), remoteControls);
    }
    List<DeviceGraph> out = new ArrayList<>();
    for (Part p : parts.values()) {
      List<String> outputs = new ArrayList<>();
      for (String f : fetches) {
        Tensor t = stage.tensor(f);
        // a fetch that is itself fed is handed back by the first device
        String owner = fed.contains(t) ? used.get(0) : placement.device(t.node());
        if (owner.equals(p.device)) {
          outputs.add(f);
        }
      }
      p.sent.forEach(s -> outputs.add(Tensor.name(sendName(s), 0)));
      out.add(new DeviceGraph(p.device, p.copy.graph(), outputs, p.received, p.sent));
    }
    return out;
  }

  /** The value of {@code t} on {@code to}, sent from {@code from} the first time it is needed. */
  private static Tensor receive(Tensor t, Part from, Part to, Map<String, Transfer> done) {
    String key = t.name() + "->" + to.device;
    if (!done.containsKey(key)) {
      Transfer tr = new Transfer(key, t.name(), from.device, to.device, CostModel.bytes(t.type()));
      from.copy.add(
          sendName(tr),
          OpNames.SEND,
          List.of(from.copy.get(t)),
          Attrs.of("key", key, "to", to.device),
          from.device);
      to.copy.add(
          recvName(tr),
          OpNames.RECV,
          List.of(),
          Attrs.of("key", key, "from", from.device, "dtype", t.dtype(), "shape", t.shape()),
          to.device);
      from.sent.add(tr);
      to.received.add(tr);
      done.put(key, tr);
    }
    return to.copy.graph().tensor(Tensor.name(recvName(done.get(key)), 0));
  }

  /** A token on {@code to} that arrives once {@code c} has run on {@code from}. */
  private static Tensor receiveToken(Node c, Part from, Part to, Map<String, Transfer> done) {
    String key = "^" + c.name() + "->" + to.device;
    if (!done.containsKey(key)) {
      Transfer tr = new Transfer(key, "^" + c.name(), from.device, to.device, 1);
      Tensor token =
          from.copy.add(
              c.name() + "/.token_" + deviceLabel(to.device),
              "fill",
              List.of(),
              Attrs.of("dtype", DType.BOOL, "shape", Shape.scalar(), "value", 1.0),
              from.device,
              List.of(from.copy.node(c)));
      from.copy.add(
          sendName(tr),
          OpNames.SEND,
          List.of(token),
          Attrs.of("key", key, "to", to.device),
          from.device);
      to.copy.add(
          recvName(tr),
          OpNames.RECV,
          List.of(),
          Attrs.of("key", key, "from", from.device, "dtype", DType.BOOL, "shape", Shape.scalar()),
          to.device);
      from.sent.add(tr);
      to.received.add(tr);
      done.put(key, tr);
    }
    return to.copy.graph().tensor(Tensor.name(recvName(done.get(key)), 0));
  }

  private static String sendName(Transfer t) {
    return base(t) + "/.send_" + deviceLabel(t.to());
  }

  private static String recvName(Transfer t) {
    return base(t) + "/.recv_" + deviceLabel(t.from());
  }

  /** The node name of the moved value ({@code ^} and {@code :i} dropped, index kept apart). */
  private static String base(Transfer t) {
    String s = t.tensor().startsWith("^") ? t.tensor().substring(1) + "/.control" : t.tensor();
    int colon = s.lastIndexOf(':');
    return colon < 0
        ? s
        : s.substring(0, colon) + (s.endsWith(":0") ? "" : "/.out" + s.substring(colon + 1));
  }

  private static String deviceLabel(String device) {
    return device.replace(':', '_');
  }

  /** One device's graph under construction. */
  private static final class Part {
    final String device;
    final GraphCopy copy;
    final List<Transfer> received = new ArrayList<>();
    final List<Transfer> sent = new ArrayList<>();

    Part(String device, GraphCopy copy) {
      this.device = device;
      this.copy = copy;
    }
  }
}

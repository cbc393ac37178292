package io.anygraph.spark.exchange;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.core.ops.OpNames;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.GraphCopy;
import io.anygraph.partition.stage.Boundary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan's driver stage applied per parameter slice: which of its nodes hold a slice of a
 * parameter-shaped tensor (the all-reduced gradients, the variables, everything elementwise over
 * them) and which are scalars every slice owner computes alike (the learning rate, Adam's powers,
 * the loss). A driver stage qualifies when every node is elementwise ({@code add}, {@code mul},
 * {@code sqrt}, {@code assign}, ...) with its non-scalar inputs of its own shape: then slice {@code
 * k} of every output depends only on slice {@code k} of the inputs (SGD, Momentum, Adam).
 *
 * @param sliced the driver stage's nodes whose output is cut into slices
 * @param params the sliced variables the worker stage reads (the parameters): after a step their
 *     slices stay with the owners and are all-gathered to the next step's worker tasks, never
 *     through the driver
 * @param toDriver the variables that are not sliced (scalars: Adam's powers), which slice 0 sends
 *     to the driver after each step; the sliced ones (parameters, optimizer state) stay with their
 *     slices
 * @param outputs the driver stage's outputs (the run's fetches), in order
 * @param feeds the driver stage's placeholders
 * @param slices how many slices (and slice owners) there are
 */
public record SliceSpec(
    List<String> sliced,
    List<String> params,
    List<String> toDriver,
    List<String> outputs,
    List<String> feeds,
    int slices)
    implements Serializable {
  /** Ops whose output element i depends only on element i of each input (scalars broadcast). */
  private static final Set<String> ELEMENTWISE =
      Set.of(
          "add",
          "sub",
          "mul",
          "div",
          "neg",
          "square",
          "sqrt",
          "exp",
          "log",
          "abs",
          "sign",
          "pow",
          "maximum",
          "minimum",
          "cast",
          "identity",
          "assign",
          "assignAdd");

  public SliceSpec {
    sliced = List.copyOf(sliced);
    params = List.copyOf(params);
    toDriver = List.copyOf(toDriver);
    outputs = List.copyOf(outputs);
    feeds = List.copyOf(feeds);
  }

  /** Why {@code plan}'s driver stage cannot be applied per slice, or null when it can. */
  public static String whyNot(Plan plan) {
    try {
      slicedNodes(plan);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * The slicing of {@code plan}'s driver stage into at most {@code slices} slices (fewer when a
   * sliced tensor has fewer elements, so that no slice is empty).
   *
   * @throws IllegalArgumentException saying which node stops it, when {@link #whyNot} is not null
   */
  public static SliceSpec of(Plan plan, int slices) {
    Set<String> sliced = slicedNodes(plan);
    Graph g = plan.driver().graph();
    Set<String> workerVars = new LinkedHashSet<>();
    plan.worker().graph().nodes().stream()
        .filter(n -> n.op().equals(OpNames.VARIABLE))
        .forEach(n -> workerVars.add(n.name()));
    List<String> params = new ArrayList<>();
    List<String> toDriver = new ArrayList<>();
    int n = slices;
    for (Node node : g.nodes()) {
      boolean cut = sliced.contains(node.name());
      if (cut) {
        n = (int) Math.min(n, node.output(0).shape().size());
      }
      if (node.op().equals(OpNames.VARIABLE) && !cut) {
        toDriver.add(node.name());
      } else if (node.op().equals(OpNames.VARIABLE) && workerVars.contains(node.name())) {
        params.add(node.name());
      }
    }
    return new SliceSpec(
        new ArrayList<>(sliced),
        params,
        toDriver,
        plan.driver().outputs(),
        plan.driver().feeds(),
        Math.max(1, n));
  }

  /** Whether the tensor named {@code tensor} ({@code node:0}) is cut into slices. */
  public boolean isSliced(String tensor) {
    return sliced.contains(tensor.substring(0, tensor.lastIndexOf(':')));
  }

  /**
   * The driver stage's graph for slice {@code k}: every sliced placeholder and variable is a 1-D
   * tensor of the slice's length, the rest copied as it is (types inferred anew).
   */
  public Graph sliceGraph(Graph driver, int k) {
    Set<String> cut = Set.copyOf(sliced);
    GraphCopy c = new GraphCopy(driver);
    for (Node n : driver.nodes()) {
      boolean source = n.op().equals(OpNames.PLACEHOLDER) || n.op().equals(OpNames.VARIABLE);
      if (source && cut.contains(n.name())) {
        long len = Slices.length(n.output(0).shape().size(), k, slices);
        c.copy(n, List.of(), n.attrs().with("shape", Shape.of(len)));
      } else {
        c.copy(n);
      }
    }
    return c.graph();
  }

  /**
   * The sliced nodes of the driver stage, or an exception naming the node that is not sliceable.
   */
  private static Set<String> slicedNodes(Plan plan) {
    Map<String, Boundary> boundaries = new HashMap<>();
    plan.boundaries().forEach(b -> boundaries.put(b.driverTensor(), b));
    Set<String> sliced = new LinkedHashSet<>();
    for (Node n : plan.driver().graph().nodes()) {
      if (n.outputs().size() != 1) {
        throw notSliceable(n, "it has " + n.outputs().size() + " outputs");
      }
      Shape s = n.output(0).shape();
      boolean scalar = s.isFullyDefined() && s.size() == 1;
      if (n.op().equals(OpNames.GROUP)) {
        continue;
      }
      if (n.inputs().isEmpty()) {
        Boundary b = boundaries.get(n.name() + ":0");
        boolean reduced = b != null && b.kind() == Boundary.Kind.ALL_REDUCE;
        if (b != null && b.kind() == Boundary.Kind.ALL_GATHER) {
          throw notSliceable(n, "it takes batch rows gathered from the tasks (all-gather)");
        }
        boolean parameter = reduced || n.op().equals(OpNames.VARIABLE);
        if (!scalar && parameter && s.isFullyDefined()) {
          sliced.add(n.name());
        } else if (!scalar) {
          throw notSliceable(n, "it is a non-scalar " + n.op() + " of shape " + s);
        }
        continue;
      }
      if (!ELEMENTWISE.contains(n.op())) {
        throw notSliceable(n, "op '" + n.op() + "' is not elementwise");
      }
      boolean anySliced = false;
      for (Tensor in : n.inputs()) {
        Shape is = in.type().shape();
        if (sliced.contains(in.node().name())) {
          anySliced = true;
          if (!is.equals(s)) {
            throw notSliceable(n, "input " + in.name() + " has shape " + is + ", the output " + s);
          }
        } else if (!(is.isFullyDefined() && is.size() == 1)) {
          throw notSliceable(n, "input " + in.name() + " of shape " + is + " is not a slice");
        }
      }
      if (anySliced) {
        sliced.add(n.name());
      } else if (!scalar) {
        throw notSliceable(n, "its output of shape " + s + " comes from scalars only");
      }
    }
    return sliced;
  }

  private static IllegalArgumentException notSliceable(Node n, String why) {
    return new IllegalArgumentException(
        "the driver stage cannot be applied per parameter slice: node '"
            + n.name()
            + "' ("
            + n.op()
            + ", "
            + n.output(0)
            + "): "
            + why);
  }
}

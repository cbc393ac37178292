package io.anygraph.core;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symbolic handle to one output of a node: it has a type but no value. Values come from a {@link
 * Session} run, a {@link Function} call, or {@link #eval(Map)}.
 *
 * <pre>{@code
 * Tensor a = g.placeholder(DType.INT8, "a");
 * Tensor b = g.placeholder(DType.INT8, "b");
 * Tensor z = a.add(b);
 * z.eval(Map.of(a, 10, b, 32));   // 42, an int8 scalar
 * }</pre>
 *
 * <p>Fluent methods build ops in the tensor's graph, under the graph's current name scope.
 */
public class Tensor {
  private final Node node;
  private final int index;
  private final Graph graph;

  Tensor(Graph graph, Node node, int index) {
    this.graph = graph;
    this.node = node;
    this.index = index;
  }

  public Graph graph() {
    return graph;
  }

  public Node node() {
    return node;
  }

  public int index() {
    return index;
  }

  public TensorType type() {
    return node.output(index);
  }

  public DType dtype() {
    return type().dtype();
  }

  public Shape shape() {
    return type().shape();
  }

  /** TensorFlow-style tensor name, {@code node:index}, e.g. {@code addition:0}. */
  public String name() {
    return name(node.name(), index);
  }

  /** The tensor name of output {@code index} of the node named {@code node}. */
  public static String name(String node, int index) {
    return node + ":" + index;
  }

  public String op() {
    return node.op();
  }

  private Ops ops() {
    return graph.ops();
  }

  public Tensor add(Tensor b) {
    return ops().add(this, b);
  }

  public Tensor add(double b) {
    return ops().add(this, ops().scalarLike(b, this));
  }

  public Tensor sub(Tensor b) {
    return ops().sub(this, b);
  }

  public Tensor sub(double b) {
    return ops().sub(this, ops().scalarLike(b, this));
  }

  public Tensor mul(Tensor b) {
    return ops().mul(this, b);
  }

  public Tensor mul(double b) {
    return ops().mul(this, ops().scalarLike(b, this));
  }

  public Tensor div(Tensor b) {
    return ops().div(this, b);
  }

  public Tensor div(double b) {
    return ops().div(this, ops().scalarLike(b, this));
  }

  public Tensor floorDiv(Tensor b) {
    return ops().floorDiv(this, b);
  }

  public Tensor floorDiv(double b) {
    return ops().floorDiv(this, ops().scalarLike(b, this));
  }

  public Tensor floorMod(Tensor b) {
    return ops().floorMod(this, b);
  }

  public Tensor floorMod(double b) {
    return ops().floorMod(this, ops().scalarLike(b, this));
  }

  public Tensor pow(Tensor b) {
    return ops().pow(this, b);
  }

  public Tensor pow(double b) {
    return ops().pow(this, ops().scalarLike(b, this));
  }

  public Tensor neg() {
    return ops().neg(this);
  }

  public Tensor square() {
    return ops().square(this);
  }

  public Tensor sqrt() {
    return ops().sqrt(this);
  }

  public Tensor exp() {
    return ops().exp(this);
  }

  public Tensor log() {
    return ops().log(this);
  }

  public Tensor abs() {
    return ops().abs(this);
  }

  public Tensor maximum(Tensor b) {
    return ops().maximum(this, b);
  }

  public Tensor minimum(Tensor b) {
    return ops().minimum(this, b);
  }

  public Tensor matmul(Tensor b) {
    return ops().matmul(this, b);
  }

  public Tensor reshape(long... shape) {
    return ops().reshape(this, shape);
  }

  public Tensor transpose(int... perm) {
    return ops().transpose(this, perm);
  }

  public Tensor cast(DType to) {
    return ops().cast(this, to);
  }

  public Tensor sum(int... axes) {
    return ops().reduceSum(this, axes, false);
  }

  public Tensor mean(int... axes) {
    return ops().reduceMean(this, axes, false);
  }

  public Tensor max(int... axes) {
    return ops().reduceMax(this, axes, false);
  }

  /**
   * Evaluates this tensor: in the default session if one is installed ({@link
   * Session#asDefault()}), else in the graph's own session, as Theano's {@code eval}.
   *
   * @param feeds placeholder (a {@link Tensor} or its name) → value (a Java number, boolean, array,
   *     or {@link INDArray})
   */
  public INDArray eval(Map<?, ?> feeds) {
    return Session.forEval(graph).run(this, feeds);
  }

  public INDArray eval() {
    return eval(Map.of());
  }

  /** Shorthand for lists of tensors, as fetches or function inputs. */
  public static List<Tensor> list(Tensor... ts) {
    return List.of(ts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && t.node == node && t.index == index;
  }

  @Override
  public int hashCode() {
    return node.hashCode() * 31 + index;
  }

  @Override
  public String toString() {
    return "Tensor(\"" + name() + "\", " + type() + ")";
  }
}

package io.anygraph.examples;

import io.anygraph.board.events.SummaryWriter;
import io.anygraph.core.DType;
import io.anygraph.core.Function;
import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Scope;
import io.anygraph.core.Session;
import io.anygraph.core.Tensor;
import io.anygraph.examples.cli.Destinations;
import io.anygraph.examples.cli.OptionValues;
import io.anygraph.examples.cli.Options;
import io.anygraph.examples.cli.Refusals;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The symbolic computing tutorial in Java: every snippet, in order, TensorFlow style and Theano
 * style, each printed with its result. {@code bin/anygraph tutorial} runs it.
 */
public final class Tutorial {
  /** The command's options. */
  public static final Options OPTIONS =
      new Options(
              "tutorial",
              "every snippet of the symbolic computing tutorial, TensorFlow and Theano style")
          .value(
              "--logdir",
              "DIR",
              null,
              "write the name-scope graph there as TensorBoard event files");

  private final PrintStream out;

  /** Where the name-scope graph goes as TensorBoard event files; null for nowhere. */
  private final String logdir;

  private Tutorial(PrintStream out, String logdir) {
    this.out = out;
    this.logdir = logdir;
  }

  public static int run(PrintStream out) throws IOException {
    return run(new String[0], out);
  }

  /** {@code anygraph tutorial [--logdir DIR]}: DIR is a local path or any Hadoop URI. */
  public static int run(String[] args, PrintStream out) {
    return Refusals.run("tutorial", false, System.err, () -> run(OPTIONS.parse(args), out));
  }

  static int run(OptionValues options, PrintStream out) throws IOException {
    String logdir = options.path("--logdir");
    Destinations.checkFolder("--logdir", logdir);
    Tutorial t = new Tutorial(out, logdir);
    t.addition();
    t.gradient();
    t.eval();
    t.graphDefinition();
    t.namedTensors();
    t.nameScope();
    ConvLayer.tensorflow(t);
    ConvLayer.theano(t);
    return 0;
  }

  PrintStream out() {
    return out;
  }

  void section(String title, String python) {
    out.println();
    out.println("== " + title);
    python.lines().forEach(l -> out.println("   | " + l));
  }

  void result(String what, Object value) {
    out.println("   -> " + what + " = " + value);
  }

  /** {@code sess.run(a+b, feed_dict={a: 10, b: 32})} and {@code f(10, 32)}. */
  private void addition() {
    section(
        "addition, TensorFlow style",
        """
        a = tf.placeholder(tf.int8)
        b = tf.placeholder(tf.int8)
        sess.run(a+b, feed_dict={a: 10, b: 32})""");
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8);
    Tensor b = g.placeholder(DType.INT8);
    try (Session sess = new Session(g)) {
      INDArray r = sess.run(a.add(b), Map.of(a, 10, b, 32));
      result("sess.run(a + b)", describe(r));
    }

    section(
        "addition, Theano style",
        """
        a = th.iscalar()
        b = th.iscalar()
        f = theano.function([a, b], a + b)
        f(10,32)""");
    Graph th = new Graph();
    Tensor ta = th.scalar(DType.INT32, null);
    Tensor tb = th.scalar(DType.INT32, null);
    Function f = th.function(List.of(ta, tb), ta.add(tb));
    result("f(10, 32)", describe(f.call(10, 32)));
  }

  /** {@code th.grad(a ** 2, a)} at 2. */
  private void gradient() {
    section(
        "automatic differentiation, Theano style",
        """
        a = th.dscalar()
        ga = th.grad(a ** 2,a)
        f = theano.function([a], ga)
        f(2)""");
    Graph g = new Graph();
    Tensor a = g.scalar(DType.FLOAT64, null);
    Tensor ga = g.grad(a.pow(2), a);
    Function f = g.function(List.of(a), ga);
    result("f(2)", describe(f.call(2)));
  }

  /** {@code z.eval({a: 10, b: 32})}, Theano and TensorFlow (in a default session). */
  private void eval() {
    Graph g = new Graph();
    Tensor a = g.scalar(DType.FLOAT64, "a");
    Tensor b = g.scalar(DType.FLOAT64, "b");
    section(
        "evaluating a tensor, Theano style",
        """
        z = a + b
        print z.eval({a : 10, b : 32})""");
    Tensor z = a.add(b);
    result("z", z.type());
    result("z.eval({a: 10, b: 32})", describe(z.eval(Map.of(a, 10, b, 32))));

    section(
        "evaluating a tensor, TensorFlow style",
        """
        z = a + b
        with sess.as_default():
            print z.eval({a: 10, b: 32})""");
    try (Session sess = new Session(g);
        Scope d = sess.asDefault()) {
      result("z.eval({a: 10, b: 32})", describe(z.eval(Map.of(a, 10, b, 32))));
    }
  }

  /**
   * The tutorial writes the graph for TensorBoard: {@code SummaryWriter.open(logdir)} and {@code
   * addGraph(g)} here, done for the name-scope graph below when {@code --logdir} is given.
   */
  private void graphDefinition() {
    section(
        "the graph definition (for TensorBoard)",
        """
        writer = tf.train.SummaryWriter("/tmp/mytutorial_logs", sess.graph_def)
        writer.flush()""");
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8);
    Tensor b = g.placeholder(DType.INT8);
    a.add(b);
    result("nodes", nodes(g));
    out.println(
        logdir == null
            ? "   (with --logdir DIR the name-scope graph below is written there as TensorBoard event"
                + " files: try (SummaryWriter w = SummaryWriter.open(DIR)) { w.addGraph(g); })"
            : "   (the name-scope graph below goes to " + logdir + ")");
  }

  /** Named placeholders and an op named {@code addition}. */
  private void namedTensors() {
    section(
        "naming tensors, TensorFlow style",
        """
        a = tf.placeholder(tf.int8, name="a")
        b = tf.placeholder(tf.int8, name="b")
        addition = tf.add(a, b, name="addition")
        sess.run(addition, feed_dict={a: 10, b: 32})""");
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    Tensor addition = g.withName("addition").add(a, b);
    try (Session sess = new Session(g)) {
      result("sess.run(addition)", describe(sess.run(addition, Map.of(a, 10, b, 32))));
    }
    result("nodes", nodes(g));

    section(
        "naming tensors, Theano style",
        """
        a = th.iscalar('a')
        b = th.iscalar('b')
        f = theano.function([a, b], a + b, name='addition')
        f(10,32)""");
    Graph th = new Graph();
    Tensor ta = th.scalar(DType.INT32, "a");
    Tensor tb = th.scalar(DType.INT32, "b");
    Function f = th.function("addition", List.of(ta, tb), ta.add(tb));
    result(f.name() + "(10, 32)", describe(f.call(10, 32)));
  }

  /** {@code with tf.name_scope("addition")}: the sum becomes {@code addition/add}. */
  private void nameScope() throws IOException {
    section(
        "name scopes, TensorFlow style",
        """
        a = tf.placeholder(tf.int8, name="a")
        b = tf.placeholder(tf.int8, name="b")
        with tf.name_scope("addition") as scope:
            my_addition = a+b
        sess.run(my_addition, feed_dict={a: 10, b: 32})""");
    Graph g = new Graph();
    Tensor a = g.placeholder(DType.INT8, "a");
    Tensor b = g.placeholder(DType.INT8, "b");
    Tensor myAddition;
    try (Scope scope = g.nameScope("addition")) {
      myAddition = a.add(b);
    }
    try (Session sess = new Session(g)) {
      result("sess.run(my_addition)", describe(sess.run(myAddition, Map.of(a, 10, b, 32))));
    }
    result("nodes", nodes(g));
    if (logdir != null) {
      try (SummaryWriter writer = SummaryWriter.open(logdir)) {
        writer.addGraph(g);
        result("wrote the graph to", writer.file());
      }
      out.println(
          "   see it with: bin/anygraph board --logdir "
              + logdir
              + "   (or tensorboard --logdir "
              + logdir
              + ")");
    }
  }

  static String nodes(Graph g) {
    return g.nodes().stream().map(Node::name).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A value with its dtype: {@code 42 (int8)}. */
  static String describe(INDArray v) {
    String dtype = DType.fromNd4j(v.dataType()).toString();
    if (v.rank() == 0) {
      return v.getDouble(0) % 1 == 0 && !v.dataType().isFPType()
          ? v.getLong(0) + " (" + dtype + ")"
          : v.getDouble(0) + " (" + dtype + ")";
    }
    return dtype + Arrays.toString(v.shape());
  }
}

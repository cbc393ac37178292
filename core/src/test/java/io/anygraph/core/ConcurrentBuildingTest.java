package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.io.Directory;
import io.anygraph.core.io.MemoryDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * One graph built by eight threads at once: each thread's nodes get its own name and device scopes,
 * names stay unique graph-wide, and the graph's readers (lookups, the node list, saving) stay
 * consistent meanwhile.
 */
class ConcurrentBuildingTest {
  private static final int THREADS = 8;
  private static final int BLOCKS = 10;
  private static final int ADDS = 20;
  private static final int TOP_LEVEL = 5;

  /** A node a thread made and what it should look like, worked out by hand from the scopes. */
  private record Made(
      Node node, String name, String device, List<Node> controls, String colocatedWith) {}

  /** What one thread built: the name scope the graph gave it, and its nodes. */
  private record Built(String prefix, List<Made> nodes, List<Node> topLevel) {}

  /**
   * Thread {@code t} opens device {@code cpu:t} and name scope {@code worker} (which the graph
   * turns into {@code worker}, {@code worker_1}, ... in whatever order the threads get there), then
   * ten nested {@code layer} scopes, every odd one also on device {@code cpu:t+1}. All threads are
   * inside their scopes before any of them adds a node to a block.
   */
  private static Built build(Graph g, Tensor x, int t, Together.Lineup lineup) {
    List<Node> topLevel = new ArrayList<>();
    for (int i = 0; i < TOP_LEVEL; i++) {
      topLevel.add(x.add(x).node());
    }
    List<Made> made = new ArrayList<>();
    String own = "cpu:" + t;
    String next = "cpu:" + (t + 1) % THREADS;
    try (Scope d = g.device(own);
        Scope w = g.nameScope("worker")) {
      String prefix = g.currentNameScope();
      Tensor c = g.constant(t + 1.0, DType.FLOAT32);
      made.add(new Made(c.node(), prefix + "/constant", own, List.of(), null));
      Tensor h = x;
      for (int b = 0; b < BLOCKS; b++) {
        String device = b % 2 == 0 ? own : next;
        try (Scope bd = b % 2 == 0 ? null : g.device(next);
            Scope layer = g.nameScope("layer")) {
          lineup.await();
          String scope = prefix + "/layer" + (b == 0 ? "" : "_" + b);
          assertEquals(scope, g.currentNameScope());
          try (Scope cd = g.controlDependencies(List.of(c))) {
            h = h.add(c);
          }
          made.add(new Made(h.node(), scope + "/add", device, List.of(c.node()), null));
          for (int i = 1; i < ADDS - 1; i++) {
            h = h.add(c);
            made.add(new Made(h.node(), scope + "/add_" + i, device, List.of(), null));
          }
          try (Scope co = g.colocateWith(c)) {
            h = h.add(c);
          }
          made.add(
              new Made(
                  h.node(), scope + "/add_" + (ADDS - 1), device, List.of(), prefix + "/constant"));
        }
      }
      Tensor result = g.withName("result").identity(h);
      made.add(new Made(result.node(), prefix + "/result", own, List.of(), null));
      return new Built(prefix, made, topLevel);
    }
  }

  @RepeatedTest(4)
  void eachThreadsNodesGetItsOwnScopes() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2), "x");
    List<Built> built = Together.run(THREADS, (t, lineup) -> build(g, x, t, lineup));

    Set<String> prefixes = new HashSet<>();
    for (Built b : built) {
      prefixes.add(b.prefix());
      assertEquals(1 + BLOCKS * ADDS + 1, b.nodes().size());
      for (Made m : b.nodes()) {
        Node n = m.node();
        assertEquals(m.name(), n.name());
        assertEquals(m.device(), n.device(), n.name());
        assertEquals(m.controls(), n.controlInputs(), n.name());
        assertEquals(
            m.colocatedWith(),
            n.attrs().has(Graph.COLOCATE_WITH) ? n.attrs().getString(Graph.COLOCATE_WITH) : null,
            n.name());
        assertSame(n, g.node(n.name()));
      }
      for (Node n : b.topLevel()) {
        assertEquals("", n.device(), n.name());
        assertTrue(n.name().matches("add(_\\d+)?"), n.name());
      }
    }
    Set<String> expectedPrefixes = new HashSet<>(List.of("worker"));
    IntStream.range(1, THREADS).forEach(k -> expectedPrefixes.add("worker_" + k));
    assertEquals(expectedPrefixes, prefixes);

    Set<String> topLevelNames = new HashSet<>(List.of("add"));
    IntStream.range(1, THREADS * TOP_LEVEL).forEach(k -> topLevelNames.add("add_" + k));
    Set<String> names = new HashSet<>();
    built.forEach(b -> b.topLevel().forEach(n -> names.add(n.name())));
    assertEquals(topLevelNames, names);

    List<Node> nodes = g.nodes();
    assertEquals(1 + THREADS * (TOP_LEVEL + 1 + BLOCKS * ADDS + 1), nodes.size());
    Set<String> all = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      assertTrue(all.add(nodes.get(i).name()), "duplicate name " + nodes.get(i).name());
      assertEquals(i, nodes.get(i).id());
    }
  }

  @Test
  void gradientsBuiltConcurrentlyStayInTheirThreadsScopes() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2), "x");
    List<Tensor> grads =
        Together.run(
            THREADS,
            (t, lineup) -> {
              try (Scope d = g.device("cpu:" + t)) {
                Tensor y = x.mul(g.constant(t + 1.0, DType.FLOAT32)).square();
                lineup.await();
                return g.grad(y, x);
              }
            });
    Set<String> prefixes = new HashSet<>();
    for (int t = 0; t < THREADS; t++) {
      Set<String> own = new HashSet<>();
      for (Node n : upstream(grads.get(t).node())) {
        if (n.name().startsWith("gradients")) {
          own.add(n.name().substring(0, n.name().indexOf('/')));
          assertEquals("cpu:" + t, n.device(), n.name());
        }
      }
      assertEquals(1, own.size(), "gradient scopes of thread " + t + ": " + own);
      prefixes.addAll(own);
    }
    Set<String> expected = new HashSet<>(List.of("gradients"));
    IntStream.range(1, THREADS).forEach(k -> expected.add("gradients_" + k));
    assertEquals(expected, prefixes);
  }

  /** {@code n} and every node it depends on. */
  private static Set<Node> upstream(Node n) {
    Set<Node> seen = new HashSet<>();
    List<Node> todo = new ArrayList<>(List.of(n));
    while (!todo.isEmpty()) {
      Node next = todo.remove(todo.size() - 1);
      if (seen.add(next)) {
        next.inputs().forEach(in -> todo.add(in.node()));
        todo.addAll(next.controlInputs());
      }
    }
    return seen;
  }

  @Test
  void readersSeeAConsistentGraphWhileThreadsBuild() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2), "x");
    AtomicBoolean building = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Thread reader =
        new Thread(
            () -> {
              int seen = 0;
              while (building.get() && problems.isEmpty()) {
                seen = checkConsistent(g, seen, problems);
              }
            },
            "reader");
    reader.start();
    try {
      Together.run(
          THREADS,
          (t, lineup) -> {
            try (Scope w = g.nameScope("worker")) {
              Tensor h = x;
              for (int i = 0; i < 100; i++) {
                h = i % 10 == 0 ? g.variable(g.ops().identity(h)) : h.add(x);
              }
            }
            return null;
          });
    } finally {
      building.set(false);
      reader.join();
    }
    checkConsistent(g, 0, problems);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(THREADS * 10, g.variables().size());
  }

  @Test
  void aGraphSavedWhileThreadsAddVariablesReadsBack() throws Exception {
    Graph g = new Graph();
    Tensor x = g.placeholder(DType.FLOAT32, Shape.of(2), "x");
    GraphFile.read(saved(g)); // loads the JSON classes, so that later saves overlap the building
    AtomicBoolean building = new AtomicBoolean(true);
    List<Graph> copies = new ArrayList<>(); // the saver's until it ends
    AtomicInteger overlapping = new AtomicInteger(); // saves made while variables were added
    Thread saver =
        new Thread(
            () -> {
              try {
                while (building.get()) {
                  Graph copy = GraphFile.read(saved(g));
                  copies.add(copy);
                  overlapping.addAndGet(copy.size() > 1 ? 1 : 0);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "saver");
    AtomicReference<Throwable> saveFailure = new AtomicReference<>();
    saver.setUncaughtExceptionHandler((t, e) -> saveFailure.set(e));
    saver.start();
    try {
      Together.run(
          THREADS,
          (t, lineup) -> {
            // Keep adding until several saves have overlapped the building.
            for (int i = 0; i < 1000 && overlapping.get() < 10 && saveFailure.get() == null; i++) {
              g.variable(g.ops().identity(x));
            }
            return null;
          });
    } finally {
      building.set(false);
      saver.join();
    }
    assertNull(saveFailure.get());
    assertTrue(overlapping.get() > 0, "no save overlapped the building");
    for (Graph copy : copies) {
      long variableNodes = copy.nodes().stream().filter(n -> n.op().equals("variable")).count();
      assertEquals(variableNodes, copy.variables().size());
    }
  }

  private static Directory saved(Graph g) throws IOException {
    MemoryDirectory parent = new MemoryDirectory();
    GraphFile.save(g, parent, "graph");
    return parent.child("graph");
  }

  /**
   * One pass of a reader: the node list is in id order with inputs before their users, it only
   * grows, and every node and variable is found by its name; returns the size seen.
   */
  private static int checkConsistent(
      Graph g, int seenBefore, ConcurrentLinkedQueue<String> problems) {
    List<Node> nodes = g.nodes();
    if (nodes.size() < seenBefore) {
      problems.add("the graph shrank from " + seenBefore + " to " + nodes.size() + " nodes");
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.id() != i) {
        problems.add(n + " has id " + n.id() + " at position " + i);
      }
      for (Tensor in : n.inputs()) {
        if (in.node().id() >= i) {
          problems.add(n + " uses " + in.node() + ", which comes later");
        }
      }
      if (!g.hasNode(n.name())
          || g.node(n.name()) != n
          || !n.outputs().isEmpty() && g.tensor(n.name()).node() != n) {
        problems.add(n + " is not found by its name");
      }
    }
    for (Variable v : g.variables()) {
      if (!(g.tensor(v.node().name()) instanceof Variable)) {
        problems.add("variable " + v.node() + " is not found by its name");
      }
    }
    return nodes.size();
  }
}

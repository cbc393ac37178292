package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Scopes belong to the thread that opened them, as in TensorFlow. */
class ScopesPerThreadTest {
  private final Graph g = new Graph();
  private final Tensor a = g.placeholder(DType.INT8, "a");

  @Test
  void aThreadWithoutScopesSeesNoneOfAnotherThreadsScopes() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch mainBuilt = new CountDownLatch(1);
    AtomicReference<Node> otherAdd = new AtomicReference<>();
    AtomicReference<Node> otherPlaceholder = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try (Scope n = g.nameScope("busy");
                  Scope d = g.device("gpu:1");
                  Scope c = g.controlDependencies(List.of(a));
                  Scope co = g.colocateWith(a);
                  Scope s = g.sharded()) {
                inside.countDown();
                mainBuilt.await();
                otherAdd.set(a.add(a).node());
                otherPlaceholder.set(g.placeholder(DType.INT8, "p").node());
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    other.start();
    inside.await();
    Node add;
    Node placeholder;
    try {
      assertEquals("", g.currentNameScope());
      add = a.add(a).node();
      placeholder = g.placeholder(DType.INT8, "p").node();
    } finally {
      mainBuilt.countDown();
      other.join();
    }
    assertNull(failure.get());

    assertEquals("add", add.name());
    assertEquals("", add.device());
    assertEquals(List.of(), add.controlInputs());
    assertFalse(add.attrs().has(Graph.COLOCATE_WITH));
    assertEquals("p", placeholder.name());
    assertFalse(placeholder.attrs().has(Graph.SHARD_AXIS));

    assertEquals("busy/add", otherAdd.get().name());
    assertEquals("gpu:1", otherAdd.get().device());
    assertEquals(List.of(a.node()), otherAdd.get().controlInputs());
    assertEquals("a", otherAdd.get().attrs().getString(Graph.COLOCATE_WITH));
    assertEquals("busy/p", otherPlaceholder.get().name());
    assertEquals(0L, otherPlaceholder.get().attrs().getLong(Graph.SHARD_AXIS));
  }

  @Test
  void aScopeClosedOnAnotherThreadFailsAndStaysOpen() throws Exception {
    Map<String, Supplier<Scope>> openers =
        Map.of(
            "name scope", () -> g.nameScope("outer"),
            "device scope", () -> g.device("cpu:1"),
            "control dependency scope", () -> g.controlDependencies(List.of(a)),
            "colocation scope", () -> g.colocateWith(a),
            "sharded scope", g::sharded);
    for (var opener : openers.entrySet()) {
      Scope scope = opener.getValue().get();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread closer =
          new Thread(
              () -> {
                try {
                  scope.close();
                } catch (Throwable e) {
                  thrown.set(e);
                }
              },
              "closer");
      closer.start();
      closer.join();
      assertNotNull(thrown.get(), opener.getKey() + " closed on another thread");
      String message = thrown.get().getMessage();
      assertTrue(thrown.get() instanceof IllegalStateException, message);
      assertTrue(
          message.contains(opener.getKey())
              && message.contains("'closer'")
              && message.contains("'" + Thread.currentThread().getName() + "'"),
          message);
      scope.close(); // still open here, so its own thread can close it
    }
    assertEquals("add", a.add(a).node().name());
    assertEquals("", a.add(a).node().device());
  }

  @Test
  void aScopeClosedTwiceFailsWithoutClosingTheNextOne() {
    Scope first = g.nameScope("first");
    first.close();
    try (Scope second = g.nameScope("second")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, first::close);
      assertTrue(
          e.getMessage().contains("'first'") && e.getMessage().contains("already closed"),
          e.getMessage());
      assertEquals("second", g.currentNameScope());
    }
    assertEquals("", g.currentNameScope());
  }

  @Test
  void closingOutOfOrderNamesBothScopes() {
    try (Scope outer = g.nameScope("outer");
        Scope inner = g.nameScope("inner")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
      assertTrue(
          e.getMessage().contains("'outer'") && e.getMessage().contains("'outer/inner'"),
          e.getMessage());
      assertEquals("outer/inner", g.currentNameScope());
    }
    assertEquals("", g.currentNameScope());
  }

  @Test
  void aThreadCanReenterAScopeAnotherThreadOpened() throws Exception {
    String shared;
    try (Scope s = g.nameScope("layer")) {
      shared = g.currentNameScope();
    }
    AtomicReference<String> name = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try (Scope s = g.nameScope(shared + "/")) {
                name.set(a.add(a).node().name());
              }
            });
    other.start();
    other.join();
    assertEquals("layer/add", name.get());
  }
}

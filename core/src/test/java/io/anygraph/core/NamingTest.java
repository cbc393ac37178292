package io.anygraph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamingTest {
  private final Graph g = new Graph();
  private final Tensor a = g.placeholder(DType.INT8, "a");
  private final Tensor b = g.placeholder(DType.INT8, "b");

  @Test
  void automaticNamesCountUpLikeTensorFlow() {
    assertEquals("add", a.add(b).node().name());
    assertEquals("add_1", a.add(b).node().name());
    assertEquals("add_2", a.add(b).node().name());
    assertEquals("add:0", g.tensor("add").name());
  }

  @Test
  void userNamesAreKeptAndDuplicatesMadeUnique() {
    assertEquals("addition", g.withName("addition").add(a, b).node().name());
    assertEquals("addition_1", g.withName("addition").add(a, b).node().name());
    assertEquals("a_1", g.placeholder(DType.INT8, "a").node().name());
  }

  @Test
  void generatedSuffixNeverCollidesWithAUserName() {
    g.withName("add_1").add(a, b);
    g.add("add", List.of(a, b), Attrs.empty(), null);
    assertEquals("add_2", g.add("add", List.of(a, b), Attrs.empty(), null).get(0).node().name());
  }

  @Test
  void nameScopesNestAndRepeatWithSuffix() {
    try (Scope s = g.nameScope("addition")) {
      assertEquals("addition/add", a.add(b).node().name());
      try (Scope inner = g.nameScope("inner")) {
        assertEquals("addition/inner/mul", a.mul(b).node().name());
      }
      assertEquals("addition/add_1", a.add(b).node().name());
    }
    try (Scope s = g.nameScope("addition")) {
      assertEquals("addition_1/add", a.add(b).node().name());
    }
    try (Scope s = g.nameScope("addition/")) {
      assertEquals("addition/sub", a.sub(b).node().name());
    }
    assertEquals("", g.currentNameScope());
  }

  @Test
  void scopesMustCloseInnermostFirst() {
    Scope outer = g.nameScope("outer");
    Scope inner = g.nameScope("inner");
    assertThrows(IllegalStateException.class, outer::close);
    inner.close();
    outer.close();
  }

  @Test
  void invalidNamesAndDevicesAreRejected() {
    AnygraphException e =
        assertThrows(AnygraphException.class, () -> g.placeholder(DType.INT8, "bad name"));
    assertTrue(e.getMessage().contains("bad name"), e.getMessage());
    assertThrows(AnygraphException.class, () -> g.device("tpu:0"));
  }

  @Test
  void deviceAndControlScopesAreRecordedOnNodes() {
    Tensor sum;
    Tensor after;
    try (Scope d = g.device("gpu:1")) {
      sum = a.add(b);
      try (Scope c = g.controlDependencies(List.of(sum))) {
        after = a.mul(b);
      }
    }
    assertEquals("gpu:1", sum.node().device());
    assertEquals(List.of(sum.node()), after.node().controlInputs());
    assertEquals("", a.sub(b).node().device());
  }

  @Test
  void tensorsOfAnotherGraphAreRejected() {
    Graph other = new Graph();
    Tensor c = other.placeholder(DType.INT8, "c");
    assertThrows(AnygraphException.class, () -> a.add(c));
  }

  @Test
  void lookupByName() {
    Tensor s = g.withName("s").add(a, b);
    assertEquals(s, g.tensor("s:0"));
    assertEquals(s, g.tensor("s"));
    assertThrows(AnygraphException.class, () -> g.tensor("nope"));
    assertThrows(AnygraphException.class, () -> g.tensor("s:1"));
  }
}

package io.anygraph.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.DType;
import io.anygraph.core.Graph;
import io.anygraph.core.Scope;
import io.anygraph.core.Shape;
import io.anygraph.core.Tensor;
import io.anygraph.partition.common.Cluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The debug switch prints the graph after every pass, with what the pass decided. */
class PassDumpTest {
  @AfterEach
  void off() {
    PassDump.to(null);
  }

  @Test
  void everyPassPrintsItsGraph() {
    Graph g = new Graph();
    Tensor x;
    try (Scope s = g.sharded()) {
      x = g.placeholder(DType.FLOAT32, Shape.of(-1, 3), "x");
    }
    Tensor total = x.mul(2.0).sum();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PassDump.to(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Partitioner.plan(List.of(total), Set.of(x), Cluster.cpus(2), true);
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String pass :
        List.of(
            "sharding",
            "stages (worker)",
            "stages (driver)",
            "placement",
            "device partitioning (cpu:0)")) {
      assertTrue(out.contains("== after " + pass + ":"), pass + " missing in\n" + out);
    }
    // the sum over the split rows is a partial on the workers, all-reduced for the driver
    assertTrue(
        out.lines()
            .anyMatch(
                l -> l.trim().startsWith("reduceSum = reduceSum(mul:0)") && l.contains("partial")),
        out);
    assertTrue(out.contains("allReduce("), out);
  }

  @Test
  void offByDefault() {
    assertEquals(
        Boolean.getBoolean("anygraph.dumpPasses")
            || "1".equals(System.getenv("ANYGRAPH_DUMP_PASSES")),
        PassDump.enabled());
  }
}

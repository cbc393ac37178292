package io.anygraph.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.partition.stage.Boundary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The viewer's marks spell stage boundaries as the partitioner does. */
class BoundaryMarkTest {
  @Test
  void everyPartitionerBoundaryKindHasTheMarkOfTheSameName() {
    for (Boundary.Kind k : Boundary.Kind.values()) {
      assertEquals(k.name(), BoundaryMark.Kind.of(k).name());
    }
    assertEquals(
        List.of("transfer", "all_reduce", "all_gather", "pick_replica"),
        List.of(BoundaryMark.Kind.values()).stream().map(BoundaryMark.Kind::label).toList());
  }

  @Test
  void labelsReadBackAndOlderEventFilesStillRead() {
    for (BoundaryMark.Kind k : BoundaryMark.Kind.values()) {
      assertEquals(k, BoundaryMark.Kind.fromLabel(k.label()));
    }
    assertEquals(BoundaryMark.Kind.ALL_REDUCE, BoundaryMark.Kind.fromLabel("allreduce"));
    assertEquals(BoundaryMark.Kind.ALL_GATHER, BoundaryMark.Kind.fromLabel("gather"));
    assertThrows(IllegalArgumentException.class, () -> BoundaryMark.Kind.fromLabel("ALL_REDUCE"));
  }

  @Test
  void theNodeOfAnIndexedOutputIsItsName() {
    assertEquals(
        "dense/matmul",
        new BoundaryMark(BoundaryMark.Kind.TRANSFER, "dense/matmul:1", "dense/add", null)
            .fromNode());
    assertEquals("a:b", new BoundaryMark(BoundaryMark.Kind.TRANSFER, "a:b", "c", "").fromNode());
  }
}

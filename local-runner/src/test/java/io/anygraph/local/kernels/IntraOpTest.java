package io.anygraph.local.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link IntraOp}: every block runs exactly once, the caller returns only after all have, a block's
 * failure reaches the caller, a limit of one thread keeps every block on the caller, and code in a
 * block knows it is in one (where GEMMs must not start oneDNN's team), on whichever thread.
 */
class IntraOpTest {
  @Test
  void everyBlockRunsOnceAndIsDoneWhenRunReturns() {
    for (int blocks : new int[] {1, 2, 3, 17, 200}) {
      AtomicIntegerArray ran = new AtomicIntegerArray(blocks);
      IntraOp.run(
          blocks,
          i -> {
            Thread.onSpinWait();
            ran.incrementAndGet(i);
          });
      for (int i = 0; i < blocks; i++) {
        assertEquals(1, ran.get(i), "block " + i + " of " + blocks);
      }
    }
  }

  @Test
  void aBlocksFailureReachesTheCaller() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                IntraOp.run(
                    8,
                    i -> {
                      if (i == 5) {
                        throw new IllegalStateException("block 5");
                      }
                    }));
    assertEquals("block 5", e.getMessage());
  }

  @Test
  void oneThreadKeepsEveryBlockOnTheCaller() {
    int before = IntraOp.threads();
    IntraOp.limit(1);
    try {
      Set<Thread> ran = ConcurrentHashMap.newKeySet();
      IntraOp.run(16, i -> ran.add(Thread.currentThread()));
      assertEquals(Set.of(Thread.currentThread()), ran);
    } finally {
      IntraOp.limit(before);
    }
    assertTrue(IntraOp.threads() >= 1);
  }

  @Test
  void codeInABlockKnowsItIsInOneOnEveryThread() {
    assertFalse(IntraOp.inBlock());
    for (int blocks : new int[] {1, 6}) {
      AtomicIntegerArray inside = new AtomicIntegerArray(blocks);
      IntraOp.run(blocks, i -> inside.set(i, IntraOp.inBlock() ? 1 : 0));
      for (int i = 0; i < blocks; i++) {
        assertEquals(1, inside.get(i), "block " + i + " of " + blocks);
      }
      assertFalse(IntraOp.inBlock(), "after " + blocks + " blocks");
    }
    assertThrows(
        IllegalStateException.class,
        () ->
            IntraOp.run(
                3,
                i -> {
                  throw new IllegalStateException("block " + i);
                }));
    assertFalse(IntraOp.inBlock(), "after a failed block");
    IntraOp.run(2, i -> IntraOp.run(2, j -> assertTrue(IntraOp.inBlock())));
    assertFalse(IntraOp.inBlock(), "after nested blocks");
  }

  @Test
  void aSparkTasksLimitTurnsTheWholeMachineKernelsOff() {
    int before = IntraOp.threads();
    try {
      IntraOp.limit(1);
      assertFalse(IntraOp.unrestricted());
      IntraOp.limit(Integer.MAX_VALUE);
      assertEquals(Runtime.getRuntime().availableProcessors() > 1, IntraOp.unrestricted());
    } finally {
      IntraOp.limit(before);
    }
  }
}

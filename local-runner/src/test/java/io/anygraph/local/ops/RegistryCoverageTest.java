package io.anygraph.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.core.ops.OpDef;
import io.anygraph.core.ops.OpRegistry;
import io.anygraph.local.kernels.KernelRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Walks the op registry: every op has a local kernel, a forward test and, when it is
 * differentiable, a finite-difference gradient test. A new op fails this test until it has all
 * three; add its test class to {@link #FAMILY_TESTS}.
 */
class RegistryCoverageTest {
  /** The per-family op test classes whose annotated methods count as coverage. */
  static final List<Class<?>> FAMILY_TESTS =
      List.of(
          MathOpsTest.class,
          CompareOpsTest.class,
          ReduceOpsTest.class,
          ArrayOpsTest.class,
          LinalgOpsTest.class,
          SourceAndStateOpsTest.class,
          RandomOpsTest.class,
          ConvOpsTest.class,
          NnOpsTest.class,
          SelectionOpsTest.class,
          PlanOpsTest.class,
          DivisionOpsTest.class,
          ShapeOpsTest.class,
          BatchedMatmulTest.class,
          CheckNumericsOpsTest.class,
          LayerOpsTest.class,
          ControlFlowOpsTest.class,
          TrainingOpsTest.class,
          CrossEntropyOpsTest.class);

  @Test
  void everyOpHasAKernel() {
    Set<String> missing = new TreeSet<>();
    for (OpDef def : OpRegistry.all()) {
      if (!KernelRegistry.ops().contains(def.name())) {
        missing.add(def.name());
      }
    }
    assertEquals(Set.of(), missing, "ops without a local kernel");
  }

  @Test
  void everyOpHasAForwardTest() {
    Set<String> covered = covered(true);
    Set<String> missing = new TreeSet<>();
    for (OpDef def : OpRegistry.all()) {
      if (!covered.contains(def.name())) {
        missing.add(def.name());
      }
    }
    assertEquals(Set.of(), missing, "ops without a @CoversForward test");
  }

  @Test
  void everyDifferentiableOpHasAGradientCheck() {
    Set<String> covered = covered(false);
    Set<String> missing = new TreeSet<>();
    for (OpDef def : OpRegistry.all()) {
      if (def.isDifferentiable() && !covered.contains(def.name())) {
        missing.add(def.name());
      }
    }
    assertEquals(Set.of(), missing, "differentiable ops without a @CoversGradient test");
  }

  private static Set<String> covered(boolean forward) {
    Set<String> ops = new TreeSet<>();
    for (Class<?> c : FAMILY_TESTS) {
      for (Method m : c.getDeclaredMethods()) {
        if (forward && m.isAnnotationPresent(CoversForward.class)) {
          ops.addAll(List.of(m.getAnnotation(CoversForward.class).value()));
        }
        if (!forward && m.isAnnotationPresent(CoversGradient.class)) {
          ops.addAll(List.of(m.getAnnotation(CoversGradient.class).value()));
        }
      }
    }
    return ops;
  }
}

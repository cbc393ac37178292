package io.anygraph.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * A CUDA build where ND4J's CUDA backend cannot load (a driver present, its libraries not): one
 * line saying what to do instead of ND4J's "ensure that you have an nd4j backend on your
 * classpath". The exception is the one ND4J 1.0.0-M2.1 threw on this machine from the -Pcuda class
 * path (libcuda.so.1 missing), inside another exception (describe walks the causes).
 */
class BackendRefusalTest {
  @Test
  void noLoadableBackendSaysWhatToDo() {
    Throwable thrown =
        new RuntimeException(
            new Nd4jBackend.NoAvailableBackendException(
                "Please ensure that you have an nd4j backend on your classpath. Please see:"
                    + " https://deeplearning4j.konduit.ai/nd4j/backend"));
    CommandFailure f = Refusals.describe(thrown);
    assertEquals(CommandFailure.FAILED, f.exitCode());
    assertEquals("ND4J", f.subject());
    assertEquals(
        "no backend could be loaded (ND4J's warning above names what is missing; the CUDA build"
            + " needs an NVIDIA driver and the CUDA 11.6 and cuDNN 8.3 libraries, docs/gpu.md);"
            + " use --backend cpu",
        f.problem());
  }
}

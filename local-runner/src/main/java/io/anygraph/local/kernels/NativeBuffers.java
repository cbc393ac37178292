package io.anygraph.local.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.OpaqueDataBuffer;

/**
 * What a libnd4j op context needs of an array, on whichever ND4J backend is loaded: its native
 * buffer handle, and (CUDA only) the device copy of its shape information.
 *
 * <p>Why method handles: the backends' buffer classes ({@code BaseCpuDataBuffer} of nd4j-native,
 * {@code BaseCudaDataBuffer} of nd4j-cuda) both have {@code getOpaqueDataBuffer()} but share no
 * type that declares it, and only one backend is on the class path ({@code -Pcuda} swaps them), so
 * neither can be named here. The handles are constants, so the JIT inlines them like a cast.
 */
final class NativeBuffers {
  /** {@code (DataBuffer) -> OpaqueDataBuffer}, bound to the loaded backend's buffer class. */
  private static final MethodHandle OPAQUE = opaqueAccessor();

  /**
   * {@code (DataBuffer) -> Pointer}: the device copy of a shape buffer on CUDA ({@code
   * AtomicAllocator.getPointer}); null on the CPU backend, whose ops read the host copy.
   */
  private static final MethodHandle DEVICE_POINTER = devicePointerAccessor();

  private NativeBuffers() {}

  /** The native buffer under {@code a}. */
  static OpaqueDataBuffer opaque(INDArray a) {
    try {
      return (OpaqueDataBuffer) OPAQUE.invokeExact(a.data());
    } catch (Throwable t) {
      throw new IllegalStateException(
          "ND4J buffer of class " + a.data().getClass().getName() + " has no native handle", t);
    }
  }

  /** The device copy of {@code a}'s shape information, or null where ops read the host copy. */
  static Pointer deviceShapeInfo(INDArray a) {
    if (DEVICE_POINTER == null) {
      return null;
    }
    try {
      return (Pointer) DEVICE_POINTER.invokeExact(a.shapeInfoDataBuffer());
    } catch (Throwable t) {
      throw new IllegalStateException("no device shape information for an array of " + a, t);
    }
  }

  /** Whether the loaded backend is ND4J's CUDA one. */
  static boolean cuda() {
    return DEVICE_POINTER != null;
  }

  private static MethodHandle opaqueAccessor() {
    // the backend's base buffer class (BaseCpuDataBuffer, BaseCudaDataBuffer): the highest class
    // above a float buffer that declares the accessor, so every data type's buffer matches
    Class<?> bufferClass = Nd4j.createBuffer(DataType.FLOAT, 1, false).getClass();
    for (Class<?> c = bufferClass; c != null; c = c.getSuperclass()) {
      try {
        c.getDeclaredMethod("getOpaqueDataBuffer");
        bufferClass = c;
      } catch (NoSuchMethodException e) {
        // not declared here: keep looking upwards
      }
    }
    try {
      return MethodHandles.publicLookup()
          .findVirtual(
              bufferClass, "getOpaqueDataBuffer", MethodType.methodType(OpaqueDataBuffer.class))
          .asType(MethodType.methodType(OpaqueDataBuffer.class, DataBuffer.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "ND4J's buffer class "
              + bufferClass.getName()
              + " has no getOpaqueDataBuffer(): Anygraph supports nd4j-native and nd4j-cuda 1.0.0-M2.1");
    }
  }

  private static MethodHandle devicePointerAccessor() {
    if (!Nd4j.getBackend().getClass().getName().contains("jcublas")) {
      return null;
    }
    try {
      Class<?> allocator = Class.forName("org.nd4j.jita.allocator.impl.AtomicAllocator");
      Object instance = allocator.getMethod("getInstance").invoke(null);
      return MethodHandles.publicLookup()
          .findVirtual(
              allocator, "getPointer", MethodType.methodType(Pointer.class, DataBuffer.class))
          .bindTo(instance);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "ND4J's CUDA backend is loaded but its AtomicAllocator.getPointer(DataBuffer) is missing: "
              + e);
    }
  }
}

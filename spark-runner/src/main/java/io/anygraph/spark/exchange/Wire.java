package io.anygraph.spark.exchange;

import java.util.Locale;

/**
 * How wide the gradients travel between a step's tasks and their receivers: {@link #FLOAT32} (the
 * default: exact, as computed) or 16 bits ({@link #BFLOAT16}, {@link #FLOAT16}), rounded to nearest
 * even with error feedback (the sending task keeps what rounding dropped and adds it to its next
 * step's gradient). Receivers widen to float32 before they add, so sums stay float32. A 16-bit wire
 * halves the gradient bytes and changes the results: bfloat16 keeps float32's range with 8
 * significant bits; float16 keeps 11 bits but overflows to infinity past 65504.
 *
 * <pre>{@code
 * SparkRunner runner = new SparkRunner(g, sc).gradientWire(Wire.BFLOAT16);
 * // or: conf.set(Wire.CONF_KEY, "bf16") before the context starts
 * }</pre>
 */
public enum Wire {
  FLOAT32,
  BFLOAT16,
  FLOAT16;

  /** The Spark configuration key of the runner's default wire ({@code fp32}, {@code bf16}, ...). */
  public static final String CONF_KEY = "spark.anygraph.gradientWire";

  /**
   * The wire named {@code name}: {@code fp32}, {@code bf16} or {@code fp16} (or {@code float32},
   * {@code bfloat16}, {@code float16}), or an error naming the values that exist.
   */
  public static Wire parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "fp32", "float32" -> FLOAT32;
      case "bf16", "bfloat16" -> BFLOAT16;
      case "fp16", "float16" -> FLOAT16;
      default ->
          throw new IllegalArgumentException(
              "Unknown gradient wire '" + name + "': expected fp32, bf16 or fp16");
    };
  }

  /** The short name {@link #parse} takes: {@code fp32}, {@code bf16}, {@code fp16}. */
  public String label() {
    return switch (this) {
      case FLOAT32 -> "fp32";
      case BFLOAT16 -> "bf16";
      case FLOAT16 -> "fp16";
    };
  }

  /** Bytes a float32 value takes on this wire. */
  public int bytesPerElement() {
    return this == FLOAT32 ? 4 : 2;
  }

  /** The 16 bits of {@code f} rounded to this wire (not for {@link #FLOAT32}). */
  public short narrow(float f) {
    return switch (this) {
      case BFLOAT16 -> HalfFloats.toBfloat16(f);
      case FLOAT16 -> HalfFloats.toFloat16(f);
      case FLOAT32 -> throw new IllegalStateException("float32 is not narrowed");
    };
  }

  /** The float32 value of 16 bits of this wire. */
  public float widen(short bits) {
    return switch (this) {
      case BFLOAT16 -> HalfFloats.fromBfloat16(bits);
      case FLOAT16 -> HalfFloats.fromFloat16(bits);
      case FLOAT32 -> throw new IllegalStateException("float32 is not narrowed");
    };
  }

  /** {@code f} as this wire carries it: rounded to 16 bits and widened again; float32 as it is. */
  public float round(float f) {
    return this == FLOAT32 ? f : widen(narrow(f));
  }
}

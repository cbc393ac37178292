package io.anygraph.spark.exchange;

/**
 * Rounds float32 values to bfloat16 and IEEE float16 bit patterns, round-to-nearest-even, and
 * widens them back, exactly. Written out here (Java 17 has no {@code Float.floatToFloat16}), so the
 * rounding mode is the one these lines say: NaN stays NaN (quiet, sign kept), infinities stay
 * infinite, values past the largest float16 (65504, plus half its last step) become infinite, and
 * values below float16's normal range round to its subnormals (multiples of 2<sup>-24</sup>) or to
 * a signed zero. bfloat16 shares float32's exponent range, so only the mantissa is rounded.
 *
 * <pre>{@code
 * short b = HalfFloats.toBfloat16(0.1f);     // 0x3DCD
 * float f = HalfFloats.fromBfloat16(b);      // 0.10009765625
 * }</pre>
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** The bfloat16 nearest to {@code f} (ties to even), as its 16 bits. */
  public static short toBfloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      return (short) ((bits >>> 16) | 0x0040); // quiet: a payload only in the low bits would vanish
    }
    // add just under half of the dropped part's range, plus the kept part's last bit: ties go even
    int lastKept = (bits >>> 16) & 1;
    return (short) ((bits + 0x7FFF + lastKept) >>> 16);
  }

  /** The float32 value of bfloat16 bits {@code b} (exact). */
  public static float fromBfloat16(short b) {
    return Float.intBitsToFloat((b & 0xFFFF) << 16);
  }

  /** The float16 nearest to {@code f} (ties to even), as its 16 bits. */
  public static short toFloat16(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFFFFFF;
    if (abs > 0x7F800000) { // NaN: quiet, the payload's top bits kept
      return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
    }
    if (abs >= 0x477FF000) { // >= 65520, halfway from 65504 to 65536: ties to even go to infinity
      return (short) (sign | 0x7C00);
    }
    if (abs >= 0x38800000) { // >= 2^-14: a normal float16
      int mantissa = abs & 0x7FFFFF;
      int h = ((((abs >>> 23) - 127 + 15) << 10) | (mantissa >>> 13));
      return (short) (sign | roundHalfEven(h, mantissa & 0x1FFF, 0x1000));
    }
    if (abs <= 0x33000000) { // <= 2^-25, half the smallest subnormal: ties to even give zero
      return (short) sign;
    }
    // a subnormal float16: the value in units of 2^-24, rounded (1024 units carry into 2^-14)
    int significand = (abs & 0x7FFFFF) | 0x800000; // value = significand * 2^(exponent - 23)
    int shift = -((abs >>> 23) - 127 + 1); // 14..24: from units of 2^(exponent-23) to 2^-24
    int h = significand >>> shift;
    return (short) (sign | roundHalfEven(h, significand & ((1 << shift) - 1), 1 << (shift - 1)));
  }

  /** The float32 value of float16 bits {@code h} (exact). */
  public static float fromFloat16(short h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0) { // zero or subnormal: mantissa units of 2^-24, exact in float32
      return Math.copySign(mantissa * 0x1p-24f, Float.intBitsToFloat(sign | 0x3F800000));
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** {@code kept}, plus one when the dropped part is over half, or exactly half and kept is odd. */
  private static int roundHalfEven(int kept, int dropped, int half) {
    return dropped > half || (dropped == half && (kept & 1) == 1) ? kept + 1 : kept;
  }
}

package io.anygraph.spark.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * bfloat16 and float16 rounding of hand-picked values, each worked out by hand from the formats
 * (bfloat16: float32's sign and exponent, 7 mantissa bits; float16: 5 exponent bits biased by 15,
 * 10 mantissa bits, subnormals in units of 2^-24, largest 65504).
 */
class HalfFloatsTest {
  private static void bf16(float in, int bits, float out) {
    assertEquals((short) bits, HalfFloats.toBfloat16(in), "bf16 bits of " + in);
    assertEquals(out, HalfFloats.fromBfloat16((short) bits), "bf16 value of " + in);
  }

  private static void fp16(float in, int bits, float out) {
    assertEquals((short) bits, HalfFloats.toFloat16(in), "fp16 bits of " + in);
    assertEquals(out, HalfFloats.fromFloat16((short) bits), "fp16 value of " + in);
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    bf16(1f, 0x3F80, 1f);
    // 0.1 = 1.6 * 2^-4: 1.6 in 7 bits is 1.1001101 (1.6015625), so 0.10009765625
    bf16(0.1f, 0x3DCD, 0.10009765625f);
    // 1 + 2^-8 is halfway between 1 (mantissa 0, even) and 1 + 2^-7 (mantissa 1): to 1
    bf16(1f + 0x1p-8f, 0x3F80, 1f);
    // 1 + 3·2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): up
    bf16(1f + 3 * 0x1p-8f, 0x3F82, 1f + 0x1p-6f);
    // a hair above the tie goes up
    bf16(1f + 0x1p-8f + 0x1p-23f, 0x3F81, 1f + 0x1p-7f);
    bf16(-1f - 0x1p-8f, 0xBF80, -1f);
    bf16(-2.5f, 0xC020, -2.5f);
  }

  @Test
  void bfloat16SubnormalsInfinityAndNaN() {
    // float32 subnormal 3·2^-134 (bits 0x00018000) is halfway between 2^-133·1 and 2^-133·2: even
    bf16(Float.intBitsToFloat(0x00018000), 0x0002, 0x1p-132f);
    // 2^-134 (bits 0x00008000) is halfway between 0 and 2^-133: to +0
    bf16(Float.intBitsToFloat(0x00008000), 0x0000, 0f);
    // the largest float32 is past the largest bfloat16 by more than half a step: infinity
    bf16(Float.MAX_VALUE, 0x7F80, Float.POSITIVE_INFINITY);
    bf16(Float.NEGATIVE_INFINITY, 0xFF80, Float.NEGATIVE_INFINITY);
    assertTrue(Float.isNaN(HalfFloats.fromBfloat16(HalfFloats.toBfloat16(Float.NaN))));
    // a NaN whose payload sits only in the dropped bits must not turn into infinity
    float lowNaN = Float.intBitsToFloat(0x7F800001);
    assertTrue(Float.isNaN(HalfFloats.fromBfloat16(HalfFloats.toBfloat16(lowNaN))));
    assertEquals(-0f, HalfFloats.fromBfloat16(HalfFloats.toBfloat16(-0f)));
    assertEquals((short) 0x8000, HalfFloats.toBfloat16(-0f));
  }

  @Test
  void float16RoundsToNearestEven() {
    fp16(1f, 0x3C00, 1f);
    // 0.1 = 1.6 * 2^-4: 1.6 in 10 bits is 1.1001100110 (1.599609375), so 0.0999755859375
    fp16(0.1f, 0x2E66, 0.0999755859375f);
    fp16(1f + 0x1p-11f, 0x3C00, 1f); // halfway between 1 (even) and 1 + 2^-10: to 1
    fp16(1f + 3 * 0x1p-11f, 0x3C02, 1f + 0x1p-9f); // halfway, 1 + 2^-10 odd: up to even
    fp16(-2.5f, 0xC100, -2.5f);
    fp16(65504f, 0x7BFF, 65504f); // the largest float16
    fp16(65519f, 0x7BFF, 65504f); // under halfway to 65536
  }

  @Test
  void float16OverflowsToInfinity() {
    // 65520 is halfway from 65504 (mantissa 0x3FF, odd) to 65536 (not a float16): infinity
    fp16(65520f, 0x7C00, Float.POSITIVE_INFINITY);
    fp16(1e5f, 0x7C00, Float.POSITIVE_INFINITY);
    fp16(-1e5f, 0xFC00, Float.NEGATIVE_INFINITY);
    fp16(Float.POSITIVE_INFINITY, 0x7C00, Float.POSITIVE_INFINITY);
    short nan = HalfFloats.toFloat16(Float.NaN);
    assertEquals(0x7C00, nan & 0x7C00, "all exponent bits");
    assertTrue((nan & 0x3FF) != 0 && Float.isNaN(HalfFloats.fromFloat16(nan)));
    assertTrue(Float.isNaN(HalfFloats.fromFloat16(HalfFloats.toFloat16(-Float.NaN))));
  }

  @Test
  void float16Subnormals() {
    fp16(0x1p-14f, 0x0400, 0x1p-14f); // the smallest normal
    fp16(0x1p-24f, 0x0001, 0x1p-24f); // the smallest subnormal
    fp16(0x1p-25f, 0x0000, 0f); // halfway between 0 (even) and 2^-24: zero
    fp16(-0x1p-25f, 0x8000, -0f); // keeps its sign
    fp16(0x1.8p-25f, 0x0001, 0x1p-24f); // 0.75 units: up
    fp16(3 * 0x1p-25f, 0x0002, 0x1p-23f); // 1.5 units, halfway: to 2 (even)
    fp16(5 * 0x1p-25f, 0x0002, 0x1p-23f); // 2.5 units, halfway: to 2 (even)
    fp16(1000.5f * 0x1p-24f, 0x03E8, 1000 * 0x1p-24f); // 1000.5 units: to 1000 (even)
    // 1023.75 units rounds to 1024 units: the carry makes the smallest normal, 2^-14
    fp16(1023.75f * 0x1p-24f, 0x0400, 0x1p-14f);
    fp16(1e-10f, 0x0000, 0f); // far under: zero
  }

  @Test
  void wiresParseTheirNamesAndRefuseOthers() {
    assertEquals(Wire.BFLOAT16, Wire.parse("bf16"));
    assertEquals(Wire.FLOAT16, Wire.parse(" FP16 "));
    assertEquals(Wire.FLOAT32, Wire.parse("float32"));
    IllegalArgumentException typo =
        assertThrows(IllegalArgumentException.class, () -> Wire.parse("int8"));
    assertTrue(typo.getMessage().contains("'int8'") && typo.getMessage().contains("bf16"));
    assertEquals(0.10009765625f, Wire.BFLOAT16.round(0.1f));
    assertEquals(0.1f, Wire.FLOAT32.round(0.1f));
  }
}

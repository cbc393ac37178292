package io.anygraph.board.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An event-file parser written for the tests from the format's description alone, sharing no code
 * with the writer: its own bitwise CRC32C (Castagnoli, reflected polynomial 0x82F63B78), its own
 * CRC masking, and protobuf wire decoding by hand (varints, fixed 32/64, length-delimited).
 */
final class WireParser {
  private WireParser() {}

  /** One protobuf field: its number and its raw value (Long for varints and fixed, byte[] else). */
  record Field(int number, Object value) {
    byte[] bytes() {
      return (byte[]) value;
    }

    String text() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    long varint() {
      return (Long) value;
    }

    double asDouble() {
      return Double.longBitsToDouble((Long) value);
    }

    float asFloat() {
      return Float.intBitsToFloat((int) (long) (Long) value);
    }
  }

  static int crc32c(byte[] b, int off, int len) {
    int crc = 0xFFFFFFFF;
    for (int i = off; i < off + len; i++) {
      crc ^= b[i] & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }

  static int masked(int crc) {
    return Integer.rotateRight(crc, 15) + 0xa282ead8;
  }

  private static long le(byte[] b, int off, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** The records of a whole file; fails on a CRC mismatch or a cut-off record. */
  static List<byte[]> records(byte[] file) {
    List<byte[]> out = new ArrayList<>();
    int p = 0;
    while (p < file.length) {
      if (file.length - p < 12) {
        throw new IllegalStateException("cut-off header at byte " + p);
      }
      long len = le(file, p, 8);
      if ((int) le(file, p + 8, 4) != masked(crc32c(file, p, 8))) {
        throw new IllegalStateException("length CRC mismatch at byte " + p);
      }
      int start = p + 12;
      if (file.length - start < len + 4) {
        throw new IllegalStateException("cut-off data at byte " + p);
      }
      if ((int) le(file, start + (int) len, 4) != masked(crc32c(file, start, (int) len))) {
        throw new IllegalStateException("data CRC mismatch at byte " + p);
      }
      out.add(Arrays.copyOfRange(file, start, start + (int) len));
      p = start + (int) len + 4;
    }
    return out;
  }

  /** The fields of one message, in order. */
  static List<Field> fields(byte[] msg) {
    List<Field> out = new ArrayList<>();
    int[] p = {0};
    while (p[0] < msg.length) {
      long key = varint(msg, p);
      int number = (int) (key >>> 3);
      switch ((int) (key & 7)) {
        case 0 -> out.add(new Field(number, varint(msg, p)));
        case 1 -> {
          out.add(new Field(number, le(msg, p[0], 8)));
          p[0] += 8;
        }
        case 2 -> {
          int len = (int) varint(msg, p);
          out.add(new Field(number, Arrays.copyOfRange(msg, p[0], p[0] + len)));
          p[0] += len;
        }
        case 5 -> {
          out.add(new Field(number, le(msg, p[0], 4)));
          p[0] += 4;
        }
        default -> throw new IllegalStateException("wire type " + (key & 7) + " at byte " + p[0]);
      }
    }
    return out;
  }

  static List<Field> all(List<Field> fields, int number) {
    return fields.stream().filter(f -> f.number() == number).toList();
  }

  static Field one(List<Field> fields, int number) {
    List<Field> f = all(fields, number);
    if (f.size() != 1) {
      throw new IllegalStateException(f.size() + " fields numbered " + number);
    }
    return f.get(0);
  }

  /** The varints of a packed repeated field. */
  static List<Long> packed(byte[] b) {
    List<Long> out = new ArrayList<>();
    int[] p = {0};
    while (p[0] < b.length) {
      out.add(varint(b, p));
    }
    return out;
  }

  private static long varint(byte[] b, int[] p) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[p[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}

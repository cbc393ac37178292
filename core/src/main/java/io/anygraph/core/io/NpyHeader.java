package io.anygraph.core.io;

import io.anygraph.core.FileFormatException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dictionary of a {@code .npy} header, a Python literal such as {@code {'descr': '<f4',
 * 'fortran_order': False, 'shape': (2, 3), }}, read field by field so that a bad one is named with
 * its value. Any key order and spacing is accepted; unknown or missing keys are errors, as in
 * NumPy.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
  private static final Pattern ENTRY =
      Pattern.compile("\\s*'([^']*)'\\s*:\\s*('[^']*'|[A-Za-z]+|\\([^()]*\\))\\s*(?:,|(?=\\s*$))");
  private static final Pattern DIM = Pattern.compile("-?[0-9]+L?"); // Python 2 wrote 3L

  static NpyHeader parse(String text, String source) {
    String t = text.strip();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw new FileFormatException(source, "header", quote(t), "is not a Python dict literal");
    }
    String body = t.substring(1, t.length() - 1);
    Map<String, String> fields = new HashMap<>();
    Matcher m = ENTRY.matcher(body);
    int end = 0;
    while (end < body.length() && m.region(end, body.length()).lookingAt()) {
      if (fields.put(m.group(1), m.group(2)) != null) {
        throw new FileFormatException(
            source, m.group(1), m.group(2), "appears twice in the header");
      }
      end = m.end();
    }
    if (!body.substring(end).isBlank()) {
      throw new FileFormatException(
          source,
          "header",
          quote(t),
          "cannot be read from '" + body.substring(end).strip() + "' on");
    }
    for (String key : fields.keySet()) {
      if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
        throw new FileFormatException(source, key, fields.get(key), "is not a .npy header field");
      }
    }
    String descr = need(fields, "descr", source);
    if (!descr.startsWith("'")) {
      throw new FileFormatException(source, "descr", descr, "is not a quoted type string");
    }
    String order = need(fields, "fortran_order", source);
    if (!order.equals("True") && !order.equals("False")) {
      throw new FileFormatException(source, "fortran_order", order, "is neither True nor False");
    }
    String shape = need(fields, "shape", source);
    if (!shape.startsWith("(")) {
      throw new FileFormatException(source, "shape", shape, "is not a tuple");
    }
    return new NpyHeader(
        descr.substring(1, descr.length() - 1), order.equals("True"), dims(shape, source));
  }

  private static String need(Map<String, String> fields, String key, String source) {
    String v = fields.get(key);
    if (v == null) {
      throw new FileFormatException(source, key, "(missing)", "the header must have it");
    }
    return v;
  }

  /** The dimensions of a tuple literal "(2, 3)", "(5,)" or "()". */
  private static long[] dims(String tuple, String source) {
    String inner = tuple.substring(1, tuple.length() - 1).strip();
    if (inner.endsWith(",")) {
      inner = inner.substring(0, inner.length() - 1);
    }
    String[] parts = inner.isBlank() ? new String[0] : inner.split(",", -1);
    if (parts.length > ReadChecks.MAX_RANK) {
      throw new FileFormatException(
          source,
          "shape",
          tuple,
          "rank " + parts.length + " is more than the " + ReadChecks.MAX_RANK + " supported");
    }
    long[] dims = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      if (!DIM.matcher(p).matches()) {
        throw new FileFormatException(source, "shape", tuple, "'" + p + "' is not a dimension");
      }
      BigInteger d = new BigInteger(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
      if (d.signum() < 0) {
        throw new FileFormatException(source, "shape", tuple, "dimension " + d + " is negative");
      }
      if (d.bitLength() > 63) {
        throw new FileFormatException(
            source, "shape", tuple, "dimension " + d + " does not fit in 64 bits");
      }
      dims[i] = d.longValueExact();
    }
    return dims;
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "\"";
  }
}

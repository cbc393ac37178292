package io.anygraph.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.anygraph.core.io.Npy;
import io.anygraph.core.io.ReadChecks;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Typed reading of a JSON manifest ({@code graph.json}, {@code checkpoint.json}): every field is
 * type-checked, so {@code "seed": "abc"} is an error naming the file, the field's path ({@code
 * nodes[3].attrs.axis.int}) and the value, never a silent default.
 */
final class ManifestFields {
  private static final JsonNode MISSING = JsonNodeFactory.instance.missingNode();

  private final String file;

  ManifestFields(String file) {
    this.file = file;
  }

  /**
   * Makes {@code mapper} refuse what JSON readers otherwise let pass: repeated keys, trailing text.
   */
  static ObjectMapper strict(ObjectMapper mapper) {
    return mapper
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  String file() {
    return file;
  }

  /** The error for {@code value} at {@code path}. */
  FileFormatException bad(String path, JsonNode value, String problem) {
    String shown = value == null || value.isMissingNode() ? "(missing)" : value.toString();
    return new FileFormatException(
        file, path, shown.length() > 200 ? shown.substring(0, 200) + "..." : shown, problem);
  }

  /** {@code parent.key}, which must be present. */
  JsonNode need(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    if (v == null) {
      throw bad(path, MISSING, "is required");
    }
    return v;
  }

  JsonNode object(JsonNode v, String path) {
    if (!v.isObject()) {
      throw bad(path, v, "is not a JSON object");
    }
    return v;
  }

  /** {@code parent.key}, which must be an array. */
  JsonNode array(JsonNode parent, String key, String path) {
    need(parent, key, path);
    return optionalArray(parent, key, path);
  }

  /** {@code parent.key} as an array; absent means empty. */
  JsonNode optionalArray(JsonNode parent, String key, String path) {
    JsonNode v = parent.get(key);
    if (v == null) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw bad(path, v, "is not a JSON array");
    }
    return v;
  }

  String text(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw bad(path, v, "is not a string");
    }
    return v.asText();
  }

  String text(JsonNode parent, String key, String path) {
    return text(need(parent, key, path), path);
  }

  /** A JSON integer that fits in 64 bits (not 1.5, not "1", not 2^64). */
  long integer(JsonNode v, String path) {
    if (!v.isIntegralNumber()) {
      throw bad(path, v, "is not an integer");
    }
    if (!v.canConvertToLong()) {
      throw bad(path, v, "does not fit in 64 bits");
    }
    return v.asLong();
  }

  long integer(JsonNode parent, String key, String path) {
    return integer(need(parent, key, path), path);
  }

  /** A JSON number, or "NaN", "Infinity" or "-Infinity" (JSON has no literals for them). */
  double number(JsonNode v, String path) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual() && Arrays.asList("NaN", "Infinity", "-Infinity").contains(v.asText())) {
      return Double.parseDouble(v.asText());
    }
    throw bad(path, v, "is not a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
  }

  boolean bool(JsonNode v, String path) {
    if (!v.isBoolean()) {
      throw bad(path, v, "is not true or false");
    }
    return v.asBoolean();
  }

  DType dtype(JsonNode v, String path) {
    String label = text(v, path);
    for (DType t : DType.values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    throw bad(
        path,
        v,
        "is not a dtype; known: " + Arrays.stream(DType.values()).map(DType::label).toList());
  }

  /** {@code null} for unknown rank, else an array of dimensions, each -1 (unknown) or more. */
  Shape shape(JsonNode v, String path) {
    if (v.isNull()) {
      return Shape.unknownRank();
    }
    if (!v.isArray()) {
      throw bad(path, v, "is not an array of dimensions or null");
    }
    if (v.size() > ReadChecks.MAX_RANK) {
      throw bad(
          path, v, "rank " + v.size() + " is more than the " + ReadChecks.MAX_RANK + " supported");
    }
    long[] dims = new long[v.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = integer(v.get(i), path + "[" + i + "]");
      if (dims[i] < Shape.UNKNOWN) {
        throw bad(path, v, "dimension " + dims[i] + " is negative (only -1, unknown, is allowed)");
      }
    }
    return Shape.of(dims);
  }

  /**
   * The array that manifest entry {@code at} ({@code dtype}, {@code shape}, {@code sha256})
   * describes, from the bytes of its file: the checksum, the dtype and the shape must all agree.
   * {@code label} names the file in messages, {@code source} is its path.
   */
  INDArray array(JsonNode entry, String at, byte[] bytes, String label, String source) {
    DType dtype = dtype(need(entry, "dtype", at + ".dtype"), at + ".dtype");
    Shape shape = shape(need(entry, "shape", at + ".shape"), at + ".shape");
    String sha = text(entry, "sha256", at + ".sha256");
    if (!Checksums.sha256(bytes).equals(sha)) {
      throw bad(
          at + ".sha256",
          entry.get("sha256"),
          label + " does not match its checksum: corrupt or altered");
    }
    INDArray a = Npy.read(bytes, source, dtype);
    if (!Shape.of(a.shape()).equals(shape)) {
      throw bad(at + ".shape", entry.get("shape"), label + " has shape " + Shape.of(a.shape()));
    }
    return a;
  }
}

package io.anygraph.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anygraph.core.io.AtomicWrite;
import io.anygraph.core.io.Directory;
import io.anygraph.core.io.Npy;
import io.anygraph.core.io.ReadChecks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints of a session's variables: folder {@code ckpt-<step>} holding {@code checkpoint.json}
 * (format, version, step, and per variable: dtype, shape, file, SHA-256) and one {@code .npy} per
 * variable. Each folder appears by an atomic rename once complete, so the latest checkpoint is
 * simply the highest step present; older ones beyond {@code keep} are deleted. The manifest may
 * also record {@code options}: the settings that produced the values (seed, batch, ...), so a
 * resumed run can check it continues the same training.
 *
 * <pre>{@code
 * Checkpoint.save(sess, dir, step, 5);
 * long step = Checkpoint.restoreLatest(sess, dir).orElse(0L);
 * }</pre>
 */
public final class Checkpoint {
  public static final String FORMAT = "anygraph.checkpoint";
  public static final int VERSION = 1;
  private static final String MANIFEST = "checkpoint.json";
  private static final Pattern FOLDER =
      Pattern.compile("ckpt-([0-9]{1,18})"); // 18 digits fit a long

  /** Temporary folders of {@link AtomicWrite} for a checkpoint; complete ones are renamed away. */
  private static final Pattern UNFINISHED = Pattern.compile("\\.ckpt-[0-9]+\\.tmp-.*");

  /** The previous version of a checkpoint being replaced ({@link AtomicWrite}). */
  private static final Pattern REPLACED = Pattern.compile("\\.(ckpt-[0-9]+)\\.old-.*");

  private static final ObjectMapper JSON =
      ManifestFields.strict(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoint() {}

  /**
   * Saves every variable of the session's graph as checkpoint {@code step}; keeps the newest {@code
   * keep}.
   */
  public static void save(Session session, Directory dir, long step, int keep) throws IOException {
    save(session, dir, step, keep, Map.of());
  }

  /**
   * Like {@link #save(Session, Directory, long, int)}, recording {@code options} in the manifest.
   */
  public static void save(
      Session session, Directory dir, long step, int keep, Map<String, String> options)
      throws IOException {
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Variable v : session.graph().variables()) {
      values.put(v.node().name(), session.variableValue(v));
    }
    save(values, dir, step, options);
    List<Long> steps = steps(dir);
    for (int i = 0; i < steps.size() - Math.max(1, keep); i++) {
      dir.delete(folder(steps.get(i)));
    }
  }

  /** Writes values as checkpoint {@code step} (for runners that hold values themselves). */
  public static void save(Map<String, INDArray> values, Directory dir, long step)
      throws IOException {
    save(values, dir, step, Map.of());
  }

  /** Writes values as checkpoint {@code step} with {@code options} (none: no field). */
  public static void save(
      Map<String, INDArray> values, Directory dir, long step, Map<String, String> options)
      throws IOException {
    AtomicWrite.folder(
        dir,
        folder(step),
        target -> {
          ObjectNode root = JSON.createObjectNode();
          root.put("format", FORMAT).put("version", VERSION).put("step", step);
          if (!options.isEmpty()) {
            ObjectNode recorded = root.putObject("options");
            options.forEach(recorded::put);
          }
          ArrayNode vars = root.putArray("variables");
          int i = 0;
          for (Map.Entry<String, INDArray> e : values.entrySet()) {
            String file = i++ + ".npy";
            byte[] bytes = Npy.toBytes(e.getValue());
            try (OutputStream out = target.create(file)) {
              out.write(bytes);
            }
            vars.addObject()
                .put("name", e.getKey())
                .put("dtype", DType.fromNd4j(e.getValue().dataType()).label())
                .put("file", file)
                .put("sha256", Checksums.sha256(bytes))
                .set("shape", GraphFile.shapeJson(Shape.of(e.getValue().shape())));
          }
          try (OutputStream out = target.create(MANIFEST)) {
            JSON.writeValue(out, root);
          }
        });
  }

  /** Steps of the complete checkpoints in {@code dir}, ascending. */
  public static List<Long> steps(Directory dir) throws IOException {
    List<Long> steps = new ArrayList<>();
    for (String name : dir.list()) {
      Matcher m = FOLDER.matcher(name);
      if (m.matches()) {
        steps.add(Long.parseLong(m.group(1)));
      }
    }
    steps.sort(null);
    return steps;
  }

  /**
   * Restores the newest checkpoint into the session and returns its step, or empty if there is
   * none. Every file is verified before any variable changes: a bad checkpoint changes nothing.
   */
  public static Optional<Long> restoreLatest(Session session, Directory dir) throws IOException {
    List<Long> steps = steps(dir);
    if (steps.isEmpty()) {
      return Optional.empty();
    }
    long step = steps.get(steps.size() - 1);
    restore(session, dir, step);
    return Optional.of(step);
  }

  /**
   * Restores checkpoint {@code step} into the session. Every file is verified before any variable
   * changes: a bad checkpoint changes nothing.
   */
  public static void restore(Session session, Directory dir, long step) throws IOException {
    Map<String, INDArray> values = read(dir, step);
    Map<Variable, INDArray> plan = new LinkedHashMap<>();
    for (Variable v : session.graph().variables()) {
      INDArray value = values.get(v.node().name());
      String where = dir.location() + "/" + folder(step);
      if (value == null) {
        throw new AnygraphException(where + " has no value for variable '" + v.node().name() + "'");
      }
      if (!v.type()
          .equals(new TensorType(DType.fromNd4j(value.dataType()), Shape.of(value.shape())))) {
        throw new AnygraphException(
            where
                + ": variable '"
                + v.node().name()
                + "' is "
                + v.type()
                + " in the graph but "
                + DType.fromNd4j(value.dataType())
                + Shape.of(value.shape())
                + " in the checkpoint");
      }
      plan.put(v, value);
    }
    plan.forEach(session::setVariableValue);
  }

  /**
   * The newest checkpoint whose manifest reads as one: a {@code ckpt-N} that is a plain file, an
   * empty folder or has a broken manifest is passed over, described to {@code skipped}.
   */
  public static Optional<Long> latestValid(Directory dir, Consumer<String> skipped)
      throws IOException {
    List<Long> steps = steps(dir);
    for (int i = steps.size() - 1; i >= 0; i--) {
      try {
        manifest(dir.child(folder(steps.get(i))), steps.get(i));
        return Optional.of(steps.get(i));
      } catch (IOException e) { // a plain file, or a folder without a manifest
        skipped.accept(
            dir.location()
                + "/"
                + folder(steps.get(i))
                + " is not a checkpoint (no"
                + " readable "
                + MANIFEST
                + ")");
      } catch (AnygraphException e) {
        skipped.accept(
            dir.location()
                + "/"
                + folder(steps.get(i))
                + " is not a checkpoint ("
                + e.getMessage()
                + ")");
      }
    }
    return Optional.empty();
  }

  /** The options recorded with checkpoint {@code step}; empty if it was saved without any. */
  public static Map<String, String> options(Directory dir, long step) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    manifest(dir.child(folder(step)), step)
        .path("options")
        .fields()
        .forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
    return options;
  }

  /**
   * Tidies what killed writes left behind and says what it did, one line per entry: {@code
   * .ckpt-N.tmp-*} folders (never a checkpoint in place) are deleted; a {@code .ckpt-N.old-*}
   * folder, the complete previous version of a checkpoint being replaced, is deleted when {@code
   * ckpt-N} is in place, else renamed back to {@code ckpt-N} (the write was killed between its two
   * renames).
   */
  public static List<String> removeUnfinished(Directory dir) throws IOException {
    List<String> done = new ArrayList<>();
    for (String name : dir.list()) {
      Matcher replaced = REPLACED.matcher(name);
      if (replaced.matches() && !dir.exists(replaced.group(1))) {
        dir.rename(name, replaced.group(1));
        done.add("restored " + replaced.group(1) + " from " + name);
      } else if (replaced.matches() || UNFINISHED.matcher(name).matches()) {
        dir.delete(name);
        done.add("removed " + name);
      }
    }
    return done;
  }

  /**
   * Reads and verifies checkpoint {@code step}: variable name → value. A manifest field of the
   * wrong type or value is a {@link FileFormatException} naming it; a missing file "no such file".
   */
  public static Map<String, INDArray> read(Directory dir, long step) throws IOException {
    Directory d = dir.child(folder(step));
    String where = d.location();
    JsonNode root = manifest(d, step);
    ManifestFields f = new ManifestFields(ReadChecks.pathOf(d, MANIFEST));
    Map<String, INDArray> values = new LinkedHashMap<>();
    JsonNode vars = f.optionalArray(root, "variables", "variables");
    for (int i = 0; i < vars.size(); i++) {
      String at = "variables[" + i + "]";
      JsonNode v = f.object(vars.get(i), at);
      String name = f.text(v, "name", at + ".name");
      String file = f.text(v, "file", at + ".file");
      if (!file.matches("[0-9]{1,9}\\.npy")) {
        throw f.bad(at + ".file", v.get("file"), "unexpected file name (expected <n>.npy)");
      }
      byte[] bytes;
      try (InputStream in = ReadChecks.open(d, file)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        // e.g. Hadoop's own checksum files caught the damage first
        throw new AnygraphException(
            where
                + "/"
                + file
                + " (variable '"
                + name
                + "') cannot be read, corrupt or missing: "
                + e.getMessage(),
            e);
      }
      INDArray value =
          f.array(v, at, bytes, file + " (variable '" + name + "')", ReadChecks.pathOf(d, file));
      if (values.put(name, value) != null) {
        throw f.bad(at + ".name", v.get("name"), "appears twice");
      }
    }
    return values;
  }

  /** The manifest in checkpoint folder {@code d}, its format, version and step verified. */
  private static JsonNode manifest(Directory d, long step) throws IOException {
    JsonNode root;
    try (InputStream in = ReadChecks.open(d, MANIFEST)) {
      root = JSON.readTree(in);
    } catch (JacksonException e) {
      throw new AnygraphException(
          d.location() + "/" + MANIFEST + " is corrupt: " + e.getOriginalMessage(), e);
    }
    ManifestFields f = new ManifestFields(ReadChecks.pathOf(d, MANIFEST));
    f.object(root == null ? JSON.missingNode() : root, "(top level)");
    if (!FORMAT.equals(root.path("format").asText())) {
      throw f.bad("format", f.need(root, "format", "format"), "not an Anygraph checkpoint");
    }
    if (f.integer(root, "version", "version") != VERSION) {
      throw f.bad("version", root.get("version"), "this build reads version " + VERSION);
    }
    if (f.integer(root, "step", "step") != step) {
      throw f.bad("step", root.get("step"), "the folder is " + folder(step));
    }
    return root;
  }

  private static String folder(long step) {
    return "ckpt-" + step;
  }
}

package io.anygraph.interop.tf;

import io.anygraph.board.events.proto.AttrValue;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.core.DType;
import io.anygraph.core.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One {@code NodeDef}, read: its data inputs as (node, output) pairs, its control inputs, its
 * device as an Anygraph device request, and typed attribute getters whose errors name the node.
 */
final class TfNode {
  /** {@code /device:GPU:1}, {@code /job:w/task:0/device:CPU:0}, {@code /gpu:0}. */
  private static final Pattern DEVICE = Pattern.compile("(?i)(?:device:)?(cpu|gpu):([0-9]{1,9})$");

  /** A data input: output {@code index} of node {@code node}. */
  record Input(String node, int index) {}

  final NodeDef def;
  final List<Input> inputs = new ArrayList<>();
  final List<String> controls = new ArrayList<>();

  TfNode(NodeDef def) {
    this.def = def;
    for (String in : def.getInputList()) {
      if (in.startsWith("^")) {
        controls.add(in.substring(1));
        continue;
      }
      int colon = in.lastIndexOf(':');
      if (colon > 0 && in.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        inputs.add(new Input(in.substring(0, colon), Integer.parseInt(in.substring(colon + 1))));
      } else {
        inputs.add(new Input(in, 0));
      }
    }
  }

  String name() {
    return def.getName();
  }

  String op() {
    return def.getOp();
  }

  /** "node 'name' (Op)", the prefix of every message about this node. */
  String where() {
    return "node '" + name() + "' (" + op() + ")";
  }

  /** The device as Anygraph spells it ({@code gpu:1}), or "" when none or none we know. */
  String device() {
    Matcher m = DEVICE.matcher(def.getDevice());
    return m.find() ? m.group(1).toLowerCase() + ":" + m.group(2) : "";
  }

  boolean has(String attr) {
    return def.containsAttr(attr);
  }

  private AttrValue attr(String name) {
    AttrValue v = def.getAttrMap().get(name);
    if (v == null) {
      throw new GraphImportException(where() + " lacks its attribute '" + name + "'");
    }
    return v;
  }

  DType dtype(String name) {
    return TfValues.dtype(attr(name).getTypeValue(), where() + " attribute '" + name + "'");
  }

  Shape shape(String name) {
    return has(name) ? TfValues.shape(attr(name).getShape()) : Shape.unknownRank();
  }

  long integer(String name, long dflt) {
    return has(name) ? attr(name).getI() : dflt;
  }

  boolean bool(String name, boolean dflt) {
    return has(name) ? attr(name).getB() : dflt;
  }

  String string(String name, String dflt) {
    return has(name) ? attr(name).getS().toStringUtf8() : dflt;
  }

  long[] ints(String name, long[] dflt) {
    return has(name)
        ? attr(name).getList().getIList().stream().mapToLong(Long::longValue).toArray()
        : dflt;
  }

  /** The name of the function that attribute {@code name} refers to (If's then_branch). */
  String function(String name) {
    String f = attr(name).getFunc().getName();
    if (f.isEmpty()) {
      throw new GraphImportException(where() + " attribute '" + name + "' names no function");
    }
    return f;
  }

  INDArray tensor(String name) {
    return TfValues.array(attr(name).getTensor(), where());
  }
}

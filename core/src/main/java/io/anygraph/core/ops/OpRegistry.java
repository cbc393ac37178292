package io.anygraph.core.ops;

import io.anygraph.core.AnygraphException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every op Anygraph knows, by name. Each family's {@code *OpDefs} class registers its definitions
 * here.
 */
public final class OpRegistry {
  private static final Map<String, OpDef> OPS = new LinkedHashMap<>();

  static {
    SourceOpDefs.define();
    MathOpDefs.define();
    CompareOpDefs.define();
    ReduceOpDefs.define();
    ArrayOpDefs.define();
    ShapeOpDefs.define();
    LinalgOpDefs.define();
    StateOpDefs.define();
    RandomOpDefs.define();
    NnOpDefs.define();
    ConvOpDefs.define();
    IndexingOpDefs.define();
    SelectionOpDefs.define();
    TransferOpDefs.define();
    CollectiveOpDefs.define();
    LayerOpDefs.define();
    ControlFlowOpDefs.define();
    TrainingOpDefs.define();
  }

  private OpRegistry() {}

  static synchronized void register(OpDef def) {
    if (OPS.putIfAbsent(def.name(), def) != null) {
      throw new IllegalStateException("op '" + def.name() + "' is defined twice");
    }
  }

  public static synchronized OpDef get(String name) {
    OpDef d = OPS.get(name);
    if (d == null) {
      throw new AnygraphException("Unknown op '" + name + "'");
    }
    return d;
  }

  public static synchronized boolean has(String name) {
    return OPS.containsKey(name);
  }

  public static synchronized Collection<OpDef> all() {
    return Collections.unmodifiableCollection(OPS.values());
  }
}

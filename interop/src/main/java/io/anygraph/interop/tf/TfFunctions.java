package io.anygraph.interop.tf;

import io.anygraph.board.events.proto.FunctionDef;
import io.anygraph.board.events.proto.FunctionDefLibrary;
import io.anygraph.board.events.proto.NodeDef;
import io.anygraph.board.events.proto.OpDef.ArgDef;
import io.anygraph.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GraphDef's function library, and calls of its functions: a call imports the function's body
 * through the same op table, on the graph the caller builds on (inside a traced cond or loop body
 * when called from {@link TfControlFlow}), with the function's arguments bound to given tensors.
 *
 * <p>Inside a function, inputs are named {@code arg}, {@code node:output_arg:i} or {@code ^node};
 * they are rewritten to the GraphDef spelling {@code node:k}, k counting over all the node's
 * outputs. Every mapped op has one output argument except those in {@link #OUTPUT_ARGS}.
 */
final class TfFunctions {
  /** The output argument names of mapped ops with more than one output argument. */
  private static final Map<String, List<String>> OUTPUT_ARGS =
      Map.of(
          "SoftmaxCrossEntropyWithLogits", List.of("loss", "backprop"),
          "SparseSoftmaxCrossEntropyWithLogits", List.of("loss", "backprop"));

  /** The attributes of control-flow ops that name a function of the library. */
  private static final List<String> FUNCTION_ATTRS =
      List.of("then_branch", "else_branch", "cond", "body");

  private final Map<String, FunctionDef> byName = new HashMap<>();

  TfFunctions(FunctionDefLibrary library) {
    for (FunctionDef f : library.getFunctionList()) {
      byName.put(f.getSignature().getName(), f);
    }
  }

  /**
   * Calls the function named by attribute {@code attr} of the caller's node on {@code args}; its
   * results in the order of its signature's outputs.
   */
  List<Tensor> call(TfOpContext caller, String attr, List<Tensor> args) {
    String name = caller.node.function(attr);
    FunctionDef f = byName.get(name);
    if (f == null) {
      throw caller.fail(attr + " names function '" + name + "', which the library lacks");
    }
    String what = describe(name, attr, caller.node);
    List<ArgDef> params = f.getSignature().getInputArgList();
    if (params.size() != args.size()) {
      throw caller.fail(
          what + " takes " + params.size() + " argument(s) but is given " + args.size());
    }
    Map<String, Tensor> bound = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      bound.put(params.get(i).getName(), args.get(i));
    }
    Map<String, String> opOf = new HashMap<>();
    f.getNodeDefList().forEach(n -> opOf.put(n.getName(), n.getOp()));
    List<NodeDef> nodes = new ArrayList<>();
    for (NodeDef n : f.getNodeDefList()) {
      NodeDef.Builder b = n.toBuilder().clearInput();
      n.getInputList().forEach(in -> b.addInput(flat(in, opOf, what)));
      nodes.add(b.build());
    }
    List<TfNode.Input> rets = new ArrayList<>();
    List<String> roots = new ArrayList<>(f.getControlRetMap().values());
    for (ArgDef out : f.getSignature().getOutputArgList()) {
      String ref = f.getRetMap().get(out.getName());
      if (ref == null) {
        throw new GraphImportException(what + " does not say what its output '" + out + "' is");
      }
      TfNode.Input r =
          new TfNode(NodeDef.newBuilder().addInput(flat(ref, opOf, what)).build()).inputs.get(0);
      rets.add(r);
      if (!bound.containsKey(r.node())) {
        roots.add(r.node());
      }
    }
    GraphImporter body = new GraphImporter(caller.g, what, nodes, bound, this, roots);
    body.buildAll();
    List<Tensor> results = new ArrayList<>();
    for (TfNode.Input r : rets) {
      results.add(body.outputsOf(r.node()).get(r.index()));
    }
    return results;
  }

  /**
   * Fails, before anything is built, unless every function {@code caller} calls (and every function
   * those call) is in the library, does not call itself, and has only mapped ops; the message names
   * the function, the node and the op.
   */
  void checkCalls(TfNode caller) {
    checkCalls(caller, new ArrayList<>());
  }

  private void checkCalls(TfNode caller, List<String> stack) {
    for (String attr : FUNCTION_ATTRS) {
      if (!caller.has(attr) || !caller.def.getAttrMap().get(attr).hasFunc()) {
        continue;
      }
      String name = caller.function(attr);
      String what = describe(name, attr, caller);
      FunctionDef f = byName.get(name);
      if (f == null) {
        throw new GraphImportException(
            caller.where()
                + ": "
                + attr
                + " names function '"
                + name
                + "', which the library lacks");
      }
      if (stack.contains(name)) {
        throw new GraphImportException(
            what + " calls itself (through " + stack + "): recursive functions are not imported");
      }
      stack.add(name);
      List<String> missing = new ArrayList<>();
      for (NodeDef d : f.getNodeDefList()) {
        TfNode n = new TfNode(d);
        if (TfOpTable.get(n.op()) == null) {
          missing.add(n.where());
        } else {
          checkCalls(n, stack);
        }
      }
      if (!missing.isEmpty()) {
        throw new GraphImportException(
            "Cannot import "
                + what
                + ": "
                + missing.size()
                + " node(s) have an op with no mapping: "
                + String.join("; ", missing)
                + ". Mapped ops: "
                + TfOpTable.ops());
      }
      stack.remove(stack.size() - 1);
    }
  }

  private static String describe(String function, String attr, TfNode caller) {
    return "function '" + function + "' (" + attr + " of " + caller.where() + ")";
  }

  /** A function-body input ({@code node:output_arg:i}) in GraphDef spelling ({@code node:k}). */
  private static String flat(String in, Map<String, String> opOf, String what) {
    String[] parts = in.split(":");
    if (in.startsWith("^") || parts.length != 3) {
      return in;
    }
    String op = opOf.get(parts[0]);
    int offset = 0;
    List<String> outArgs = OUTPUT_ARGS.get(op);
    if (outArgs != null) {
      offset = outArgs.indexOf(parts[1]);
      if (offset < 0) {
        throw new GraphImportException(
            what + " reads '" + in + "', but " + op + " has outputs " + outArgs);
      }
    }
    return parts[0] + ":" + (offset + Integer.parseInt(parts[2]));
  }
}

package io.anygraph.local.state;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.Layouts;
import io.anygraph.core.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Current values of a session's variables, by variable node name.
 *
 * <p>The store knows which values it holds alone: those kernels wrote as new arrays ({@link
 * #writeOwned}) and nobody has read out since. Only such a value may be changed in place (a scatter
 * update of an embedding table), and only while a single program runs on the store: a value read
 * out ({@link #read}, {@link #snapshot}) or written from outside ({@link #write}) may still be held
 * by its caller, and another run may be reading it. An in-place change runs under the store's lock
 * ({@link #updateInPlace}), as do reads out and the start of a run, so a reader gets the whole old
 * or the whole new table, never one half-written.
 */
public final class VariableStore {
  /** A value, and whether nothing outside the store can hold it; compared by identity. */
  private static final class Entry {
    final INDArray value;
    final boolean owned;

    Entry(INDArray value, boolean owned) {
      this.value = value;
      this.owned = owned;
    }
  }

  private final Map<String, Entry> values = new ConcurrentHashMap<>();
  private final AtomicInteger runsInFlight = new AtomicInteger();

  /**
   * The value of a variable node, for a caller that may keep it: the store no longer counts it as
   * its own, so it is never changed in place. A Theano-style shared variable starts from its
   * initial value; any other variable must have been initialized.
   */
  public synchronized INDArray read(Node variable) {
    entry(variable); // a shared variable's first value
    return values.computeIfPresent(
            variable.name(), (k, e) -> e.owned ? new Entry(e.value, false) : e)
        .value;
  }

  /**
   * The value for a step of a running program: the program's own lifetimes decide whether a later
   * step still reads it (see {@link #updateInPlace}), so it stays the store's own.
   */
  public INDArray readForRun(Node variable) {
    return entry(variable).value;
  }

  private Entry entry(Node variable) {
    Entry e = values.get(variable.name());
    if (e != null) {
      return e;
    }
    if (variable.attrs().has("initialValue")) {
      return values.computeIfAbsent(
          variable.name(),
          k -> new Entry(variable.attrs().getArray("initialValue").dup('c'), true));
    }
    throw new AnygraphException(
        "Variable '"
            + variable.name()
            + "' ("
            + variable.output(0)
            + ") is not initialized: run session.initializeAllVariables() first, or create it with"
            + " graph.shared(value, name), which needs no initialization");
  }

  /** Sets a value the caller may still hold: it is never changed in place. */
  public void write(Node variable, INDArray value) {
    values.put(variable.name(), new Entry(value, false));
  }

  /** Sets a value nothing else holds (a kernel's new array): it may be changed in place. */
  public void writeOwned(Node variable, INDArray value) {
    values.put(variable.name(), new Entry(value, true));
  }

  /**
   * Applies {@code update} to the variable's own array and returns that array, when the store holds
   * it alone as a dense row-major array and the calling run is the only one on the store; else
   * returns null and changes nothing. The caller must also know that its own program reads no
   * earlier value of the variable later. Runs under the store's lock: no read out and no other run
   * starts while the array changes.
   */
  public synchronized INDArray updateInPlace(Node variable, Consumer<INDArray> update) {
    Entry e = values.get(variable.name());
    if (e == null || !e.owned || runsInFlight.get() != 1 || !Layouts.isDenseRowMajor(e.value)) {
      return null;
    }
    update.accept(e.value);
    return e.value;
  }

  /**
   * A program run on this store starts; a nested run (a loop body's) counts too, so values are
   * changed in place only by an outermost run that is alone. Pair with {@link #endRun}.
   */
  public synchronized void beginRun() {
    runsInFlight.incrementAndGet();
  }

  public void endRun() {
    runsInFlight.decrementAndGet();
  }

  public boolean has(Node variable) {
    return values.containsKey(variable.name()) || variable.attrs().has("initialValue");
  }

  /** The current values, which the caller may keep (none is changed in place afterwards). */
  public synchronized Map<String, INDArray> snapshot() {
    Map<String, INDArray> copy = new HashMap<>();
    for (String name : values.keySet()) {
      Entry e = values.computeIfPresent(name, (k, v) -> new Entry(v.value, false));
      if (e != null) {
        copy.put(name, e.value);
      }
    }
    return Map.copyOf(copy);
  }
}

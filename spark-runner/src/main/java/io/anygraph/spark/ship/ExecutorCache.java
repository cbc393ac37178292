package io.anygraph.spark.ship;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Values built once per JVM (a Spark executor, or the driver in {@code local[*]} mode) and shared
 * by every task that runs there: deserialized graphs, sessions with their compiled programs. Keys
 * are content hashes, so a value is rebuilt only when what it was built from changed, however many
 * tasks, stages or broadcasts carry the same content.
 *
 * <pre>{@code
 * Session s = ExecutorCache.get("session", model.id(), () -> buildSession(model));
 * }</pre>
 *
 * <p>Concurrent callers with the same key wait for one build; a failed build is not cached. The
 * least recently used entries beyond {@link #CAPACITY} are dropped (not closed: a task may still
 * hold one; the garbage collector frees them).
 */
public final class ExecutorCache {
  /** Entries kept per JVM. */
  public static final int CAPACITY = 32;

  private record Key(String kind, String hash) {}

  /** Builds its value at most once (unless the build fails). */
  private static final class Slot {
    private volatile Object value;

    synchronized Object get(Supplier<?> build) {
      if (value == null) {
        value = build.get();
        BUILDS.incrementAndGet();
      }
      return value;
    }
  }

  private static final AtomicLong BUILDS = new AtomicLong();
  private static final Map<Key, Slot> SLOTS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Slot> eldest) {
          return size() > CAPACITY;
        }
      };

  private ExecutorCache() {}

  /**
   * The value of kind {@code kind} (a namespace: "graph", "session", ...) for content hash {@code
   * hash}, built by {@code build} if this JVM has none yet.
   */
  @SuppressWarnings("unchecked")
  public static <T> T get(String kind, String hash, Supplier<? extends T> build) {
    Key key = new Key(kind, hash);
    Slot slot;
    synchronized (SLOTS) {
      slot = SLOTS.computeIfAbsent(key, k -> new Slot());
    }
    try {
      return (T) slot.get(build);
    } catch (RuntimeException | Error e) {
      synchronized (SLOTS) {
        SLOTS.remove(key, slot);
      }
      throw e;
    }
  }

  /** Whether this JVM holds a value for the key (for tests and diagnostics). */
  public static boolean contains(String kind, String hash) {
    synchronized (SLOTS) {
      Slot s = SLOTS.get(new Key(kind, hash));
      return s != null && s.value != null;
    }
  }

  /** How many values this JVM has built since it started. */
  public static long builds() {
    return BUILDS.get();
  }

  /** Forgets every entry (tests use it to start from an empty cache). */
  public static void clear() {
    synchronized (SLOTS) {
      SLOTS.clear();
    }
  }
}

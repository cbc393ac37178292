package io.anygraph.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark configuration Anygraph jobs run with: Kryo as the serializer with registration required
 * and {@link AnygraphKryoRegistrator} (unless the user chose otherwise: their settings are kept,
 * with a warning), executors started with the {@code --add-opens} flags Spark and ND4J need on JDK
 * 17 ({@link #javaOptions()}, which the driver needs too) and this JVM's OpenBLAS/OpenMP settings,
 * and the embedded {@code local[*]} master unless one is given ({@code spark-submit --master} sets
 * {@code spark.master}), whose driver then binds to 127.0.0.1.
 *
 * <pre>{@code
 * SparkSession spark = SparkSetup.session("score-mnist");
 * SparkConf conf = SparkSetup.conf("train").setMaster("local[2]");
 * SparkSetup.configure(usersConf);       // adds to a configuration of the user's own
 * List<String> flags = SparkSetup.javaOptions();  // for the java command line
 * }</pre>
 */
public final class SparkSetup {
  public static final String DEFAULT_MASTER = "local[*]";

  /** Environment variables of this JVM that executors get too (read when ND4J loads). */
  public static final List<String> EXECUTOR_ENV =
      List.of(
          "OPENBLAS_CORETYPE",
          "OMP_WAIT_POLICY",
          "GOMP_SPINCOUNT",
          "OMP_NUM_THREADS",
          "OPENBLAS_NUM_THREADS");

  /** The {@code java.base} packages of {@link #javaOptions()}. */
  private static final List<String> OPENED_PACKAGES =
      List.of(
          "java.lang",
          "java.lang.invoke",
          "java.nio",
          "sun.nio.ch",
          "java.util",
          "java.util.concurrent",
          "java.net",
          "java.io",
          "sun.util.calendar");

  private static final System.Logger LOG = System.getLogger(SparkSetup.class.getName());

  private SparkSetup() {}

  /** A new configuration for app {@code appName} (kept if {@code spark.app.name} is set). */
  public static SparkConf conf(String appName) {
    SparkConf conf = new SparkConf(); // reads spark.* system properties, as spark-submit sets them
    conf.setIfMissing("spark.app.name", appName);
    return configure(conf);
  }

  /**
   * Adds Anygraph's settings to {@code conf}: a setting the user made is kept, and where it differs
   * from what Anygraph would set, a warning names the key, the user's value and Anygraph's.
   * Registrators and executor options are appended to, never replaced.
   */
  public static SparkConf configure(SparkConf conf) {
    for (String warning : configureQuietly(conf)) {
      LOG.log(System.Logger.Level.WARNING, warning);
    }
    return conf;
  }

  /** {@link #configure} without the log: returns the warnings instead (one per kept setting). */
  static List<String> configureQuietly(SparkConf conf) {
    List<String> warnings = new ArrayList<>();
    conf.setIfMissing("spark.master", DEFAULT_MASTER);
    if (conf.get("spark.master").startsWith("local")) {
      // the embedded master has no remote executors: its driver listens on loopback only
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    addUnlessSet(
        conf,
        "spark.serializer",
        KryoSerializer.class.getName(),
        "models and examples then travel by Java serialization, larger and slower",
        warnings);
    addUnlessSet(
        conf,
        "spark.kryo.registrationRequired",
        "true",
        "a class without a Kryo registration is then written by reflection, not reported",
        warnings);
    String registrator = AnygraphKryoRegistrator.class.getName();
    String registrators = conf.get("spark.kryo.registrator", "");
    if (!List.of(registrators.split(",")).contains(registrator)) {
      conf.set(
          "spark.kryo.registrator",
          registrators.isEmpty() ? registrator : registrators + "," + registrator);
    }
    // model broadcasts and blocks of examples are larger than Kryo's default 64 MiB limit
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    List<String> missing = missingJavaOptions();
    if (!missing.isEmpty()) {
      warnings.add(
          "This JVM was started without "
              + String.join(" ", missing)
              + ", which Spark and"
              + " ND4J need on JDK 17+ (Kryo fails at the first broadcast): start java with"
              + " SparkSetup.javaOptions(), see docs/library.md");
    }
    String options = conf.get("spark.executor.extraJavaOptions", "");
    StringBuilder merged = new StringBuilder(options);
    Set<String> flags = new LinkedHashSet<>(javaOptions());
    flags.addAll(inheritedFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    for (String flag : flags) {
      if (!options.contains(flag)) {
        merged.append(merged.length() == 0 ? "" : " ").append(flag);
      }
    }
    conf.set("spark.executor.extraJavaOptions", merged.toString());
    for (String name : EXECUTOR_ENV) {
      String value = System.getenv(name);
      if (value != null && !value.isEmpty()) {
        conf.setIfMissing("spark.executorEnv." + name, value);
      }
    }
    return warnings;
  }

  /**
   * Sets {@code key} to {@code value} if the user did not set it; else a warning if they differ.
   */
  private static void addUnlessSet(
      SparkConf conf, String key, String value, String consequence, List<String> warnings) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    } else if (!conf.get(key).equals(value)) {
      warnings.add(
          "Anygraph keeps your "
              + key
              + "="
              + conf.get(key)
              + " (it would set "
              + value
              + "; "
              + consequence
              + ")");
    }
  }

  /** The Spark session of {@link #conf}: the active one if it exists, else a new one. */
  public static SparkSession session(String appName) {
    return session(conf(appName));
  }

  public static SparkSession session(SparkConf conf) {
    return SparkSession.builder().config(configure(conf)).getOrCreate();
  }

  /**
   * The JVM flags a program that uses Anygraph on Spark must start with on JDK 17+ (the driver;
   * {@link #configure} gives them to executors): Spark's Kryo and off-heap buffers and ND4J reach
   * into these {@code java.base} packages by reflection. The one list: pom.xml's {@code jvm.opens}
   * and bin/anygraph repeat it, and a test checks that they agree.
   *
   * <pre>{@code
   * List<String> command = new ArrayList<>(List.of("java"));
   * command.addAll(SparkSetup.javaOptions()); // --add-opens=java.base/java.lang=ALL-UNNAMED ...
   * command.addAll(List.of("-cp", classpath, "com.example.Score"));
   * new ProcessBuilder(command).inheritIO().start();
   * }</pre>
   */
  public static List<String> javaOptions() {
    return OPENED_PACKAGES.stream()
        .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
        .toList();
  }

  /** The flags of {@link #javaOptions()} this JVM was started without (none: all is well). */
  public static List<String> missingJavaOptions() {
    List<String> have = moduleFlags();
    return javaOptions().stream().filter(f -> !have.contains(f)).toList();
  }

  /** This JVM's {@code --add-opens}/{@code --add-exports} flags, each as one word. */
  static List<String> moduleFlags() {
    return moduleFlags(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /**
   * The flags of a JVM's arguments that its executors should start with too: the module flags, and
   * {@code -XX:TrimNativeHeapInterval} (which bin/anygraph sets where the JVM has it: glibc keeps
   * the native memory ND4J frees, and without a periodic trim an executor's resident memory grows
   * with the peaks of its garbage; see docs/reliability.md). Executors of a cluster run the
   * driver's JDK in the project's tests; a cluster with an older one (before 17.0.9) would refuse
   * the flag, so the driver is started without it there.
   */
  static List<String> inheritedFlags(List<String> args) {
    List<String> flags = new ArrayList<>(moduleFlags(args));
    for (String a : args) {
      if (a.startsWith("-XX:TrimNativeHeapInterval=")) {
        flags.add(a);
      }
    }
    return flags;
  }

  private static List<String> moduleFlags(List<String> args) {
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=")) {
        flags.add(a);
      } else if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < args.size()) {
        flags.add(a + "=" + args.get(++i));
      }
    }
    return flags;
  }
}

package io.anygraph.examples.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster for integration tests, driven through the user-facing scripts:
 * {@code bin/anygraph-cluster start} (a master and workers, each its own JVM on 127.0.0.1), {@code
 * bin/anygraph submit} (SparkSubmit with the examples jar), {@code bin/anygraph-cluster stop}.
 * Closing it, or the test JVM exiting, stops every process the cluster started.
 *
 * <pre>{@code
 * try (StandaloneCluster c = StandaloneCluster.start(Path.of("target/it-cluster"), 2)) {
 *   StandaloneCluster.Run r = c.submit(Duration.ofMinutes(3), "score-mnist", "--json", "out.json");
 *   assertEquals(0, r.exitCode(), r.output());
 * }
 * }</pre>
 *
 * <p>Needs the packaged examples jar and its classpath file ({@code mvn package}; failsafe's
 * integration tests run after it), and never builds: {@code ANYGRAPH_NO_BUILD=1}.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** A finished script: its exit code and its output (stdout and stderr together). */
  public record Run(int exitCode, String output) {}

  /** A script still running, its output going to {@code log}. */
  public record Running(Process process, Path log) {
    /** Waits for the end, at most {@code timeout} (then stops it: exit code 124). */
    public Run await(Duration timeout) throws IOException, InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        process.destroyForcibly();
        return new Run(
            124,
            Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      return new Run(process.exitValue(), output);
    }

    /** SIGKILL, as a crash or an out-of-memory killer would; returns the output so far. */
    public Run kill() throws IOException, InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      return await(Duration.ofSeconds(1));
    }
  }

  private final Path root;
  private final Path state;
  private final int workers;
  private final String masterUrl;
  private final Thread stopAtExit;
  private boolean closed;

  private StandaloneCluster(Path root, Path state, int workers, String masterUrl) {
    this.root = root;
    this.state = state;
    this.workers = workers;
    this.masterUrl = masterUrl;
    this.stopAtExit = new Thread(this::stopQuietly, "stop " + state);
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /**
   * Starts a master and {@code workers} workers with their state (logs, work dirs) in {@code
   * state}.
   */
  public static StandaloneCluster start(Path state, int workers)
      throws IOException, InterruptedException {
    Path root = projectRoot();
    Path abs = state.toAbsolutePath();
    Files.createDirectories(abs);
    // a cluster left by an earlier run that was killed outright (its processes name this folder)
    run(root, abs, workers, Duration.ofMinutes(1), List.of("bin/anygraph-cluster", "stop"));
    Run r =
        run(root, abs, workers, Duration.ofMinutes(3), List.of("bin/anygraph-cluster", "start"));
    if (r.exitCode() != 0) {
      run(root, abs, workers, Duration.ofMinutes(1), List.of("bin/anygraph-cluster", "stop"));
      throw new IOException(
          "bin/anygraph-cluster start failed (" + r.exitCode() + "):\n" + r.output());
    }
    String url = Files.readString(abs.resolve("master-url")).trim();
    return new StandaloneCluster(root, abs, workers, url);
  }

  public String masterUrl() {
    return masterUrl;
  }

  public int workers() {
    return workers;
  }

  /**
   * {@code bin/anygraph submit --master <this cluster> args...}, waiting at most {@code timeout}.
   */
  public Run submit(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bin/anygraph", "submit", "--master", masterUrl));
    cmd.addAll(List.of(args));
    return run(root, state, workers, timeout, cmd);
  }

  /**
   * The cluster's own {@code SPARK_HOME/bin/spark-submit args...} (Spark's launcher, no Anygraph
   * script), run from the project root with the driver on 127.0.0.1, waiting at most {@code
   * timeout}.
   */
  public Run sparkSubmit(Duration timeout, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(sparkHome().resolve("bin/spark-submit").toString()));
    cmd.addAll(args);
    return run(root, state, workers, timeout, cmd);
  }

  /** The SPARK_HOME the cluster runs from: Spark's jars only, a RELEASE file, conf/ and bin/. */
  public Path sparkHome() {
    return state.resolve("spark-home");
  }

  /**
   * A SPARK_HOME as the cluster's, without the cluster ({@code bin/anygraph-cluster spark-home}):
   * Spark's jars, a RELEASE file, conf/ and bin/spark-submit, in {@code state}.
   */
  public static Path assembleSparkHome(Path state) throws IOException, InterruptedException {
    Path abs = state.toAbsolutePath();
    Files.createDirectories(abs);
    Run r =
        run(
            projectRoot(),
            abs,
            0,
            Duration.ofMinutes(1),
            List.of("bin/anygraph-cluster", "spark-home"));
    if (r.exitCode() != 0) {
      throw new IOException("bin/anygraph-cluster spark-home failed:\n" + r.output());
    }
    return abs.resolve("spark-home");
  }

  /**
   * Runs {@code command} (from the project root, drivers on 127.0.0.1) with {@code env} added to
   * the environment, its output kept in {@code scratch} until it ends, waiting at most {@code
   * timeout}.
   */
  public static Run command(
      Path scratch, Duration timeout, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    Files.createDirectories(scratch);
    return launch(projectRoot(), scratch.toAbsolutePath(), 0, command, env).await(timeout);
  }

  /** The examples' application jar for spark-submit (built by {@code mvn package}). */
  public static Path applicationJar() {
    return projectRoot().resolve("examples/target/anygraph-examples-0.1.0-SNAPSHOT-app.jar");
  }

  /**
   * {@code bin/anygraph submit --master <this cluster> args...} without waiting: its process is the
   * driver's JVM (the script execs java), for tests that kill it.
   */
  public Running submitInBackground(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bin/anygraph", "submit", "--master", masterUrl));
    cmd.addAll(List.of(args));
    return launch(root, state, workers, cmd);
  }

  /** {@code bin/anygraph args...} (a command on the embedded master) without waiting. */
  public static Running anygraphInBackground(Path scratch, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bin/anygraph"));
    cmd.addAll(List.of(args));
    Files.createDirectories(scratch);
    return launch(projectRoot(), scratch.toAbsolutePath(), 0, cmd);
  }

  /** The executor JVMs a worker launched (the worker's {@code index}, from 1), alive now. */
  public List<ProcessHandle> executorsOf(int index) throws IOException, InterruptedException {
    long worker = daemonPids().get(index); // status lists the master first, then worker-1, ...
    return ProcessHandle.of(worker).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
        .toList();
  }

  /** The pids {@code status} lists: the master's and each worker's. */
  public List<Long> daemonPids() throws IOException, InterruptedException {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("\\(pid (\\d+)\\)").matcher(status().output());
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  /** {@code bin/anygraph-cluster status}. */
  public Run status() throws IOException, InterruptedException {
    return run(
        root, state, workers, Duration.ofMinutes(1), List.of("bin/anygraph-cluster", "status"));
  }

  /** The executors' logs (stderr) of every application, one folder per executor JVM. */
  public List<Path> executorLogs() throws IOException {
    try (Stream<Path> s =
        Files.find(
            state.resolve("work"), 4, (p, a) -> p.getFileName().toString().equals("stderr"))) {
      return s.sorted().toList();
    }
  }

  /** The master's and workers' logs. */
  public Path logs() {
    return state.resolve("logs");
  }

  /** Stops every process of the cluster; fails if one is left. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    Run r =
        run(root, state, workers, Duration.ofMinutes(1), List.of("bin/anygraph-cluster", "stop"));
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(stopAtExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
    }
    if (r.exitCode() != 0) {
      throw new IOException("bin/anygraph-cluster stop failed:\n" + r.output());
    }
  }

  private void stopQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("could not stop the cluster in " + state + ": " + e);
    }
  }

  private static Run run(Path root, Path state, int workers, Duration timeout, List<String> cmd)
      throws IOException, InterruptedException {
    return launch(root, state, workers, cmd).await(timeout);
  }

  private static Running launch(Path root, Path state, int workers, List<String> cmd)
      throws IOException {
    return launch(root, state, workers, cmd, Map.of());
  }

  private static Running launch(
      Path root, Path state, int workers, List<String> cmd, Map<String, String> extraEnv)
      throws IOException {
    Path out = Files.createTempFile(state, "run-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.put("ANYGRAPH_CLUSTER_DIR", state.toString());
    env.put("ANYGRAPH_CLUSTER_WORKERS", Integer.toString(workers));
    env.put("ANYGRAPH_NO_BUILD", "1");
    env.put("SPARK_LOCAL_IP", "127.0.0.1"); // drivers bind to loopback, as the cluster does
    env.putAll(extraEnv);
    return new Running(pb.start(), out);
  }

  /** The project root: the working directory or a parent of it holding bin/anygraph-cluster. */
  static Path projectRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("bin/anygraph-cluster"))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "bin/anygraph-cluster not found from " + Path.of("").toAbsolutePath());
  }
}

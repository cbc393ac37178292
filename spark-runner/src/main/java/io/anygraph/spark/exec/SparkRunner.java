package io.anygraph.spark.exec;

import io.anygraph.core.Graph;
import io.anygraph.core.Node;
import io.anygraph.core.Tensor;
import io.anygraph.core.Variable;
import io.anygraph.core.exec.Runner;
import io.anygraph.core.exec.Schedule;
import io.anygraph.data.Dataset;
import io.anygraph.local.plan.LogicalDevices;
import io.anygraph.local.plan.PlanExecutor;
import io.anygraph.local.state.RunState;
import io.anygraph.partition.Partitioner;
import io.anygraph.partition.Plan;
import io.anygraph.partition.common.Cluster;
import io.anygraph.spark.cost.Calibration;
import io.anygraph.spark.cost.LinkConstants;
import io.anygraph.spark.exchange.Exchange;
import io.anygraph.spark.exchange.Wire;
import io.anygraph.spark.ring.BarrierSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a graph as Spark jobs. Each step is the partitioner's plan: the sharded worker stage as a
 * job with one task per partition, the gradients added up in a fixed order as a tree (or as the
 * {@link #exchange(Exchange) exchange} says), the updates applied once in the driver stage here.
 * Variables live on the driver and reach the executors by broadcast, again only after they changed;
 * under the sharded exchange the parameters and optimizer state stay on the executors between steps
 * ({@link SliceHolder}). Steps without sharded work run on the driver alone.
 *
 * <pre>{@code
 * SparkRunner runner = new SparkRunner(g, sc)
 *     .bind(ShardedData.idx(sc, pair, 4), Map.of("features", images, "labels", labels));
 * try (Session sess = new Session(g, runner)) {
 *   sess.initializeAllVariables();
 *   runner.select(seed, 64, step);               // which rows of the bound data the next runs read
 *   sess.run(List.of(train, loss), Map.of());    // images and labels come from the executors
 * }
 * }</pre>
 *
 * <p>Sharded placeholders can also be fed arrays from the driver; they are then split into one
 * shard per default-parallelism slot and shipped with the job.
 */
public final class SparkRunner implements Runner {
  private record StepKey(List<Tensor> fetches, Set<Tensor> fed) {}

  /** The Spark configuration key of the calibration's time limit ({@code 60s} by default). */
  public static final String CALIBRATION_TIMEOUT = "spark.anygraph.calibration.timeout";

  /**
   * The Spark configuration key of how many training steps one Spark job runs ({@link
   * #stepsPerJob(int)}; 1 by default).
   */
  public static final String STEPS_PER_JOB = "spark.anygraph.stepsPerJob";

  private static final System.Logger LOG = System.getLogger(SparkRunner.class.getName());

  private final Graph graph;
  private final JavaSparkContext sc;
  private final RunState state;
  private final Cluster cluster;
  private final LogicalDevices devices = new LogicalDevices();
  private final Map<StepKey, CompiledStep> steps = new ConcurrentHashMap<>();
  private final VariableBroadcasts broadcasts;
  private final StepTimes times = new StepTimes();
  private final DriverBytes bytes = new DriverBytes();
  private final SliceHolder slices = new SliceHolder();
  private final List<String> exchangeNotices = new ArrayList<>();
  private Exchange exchange;
  private Wire wire;
  private final String id = UUID.randomUUID().toString();
  private LinkConstants constants;
  private Exchange lastExchange;
  private final Map<Tensor, String> bound = new LinkedHashMap<>();
  private ShardedData data;
  private StepRows rows;
  private int end;
  private StepGroups groups;
  private long version;
  private long workerRuns;

  public SparkRunner(Graph graph, JavaSparkContext sc) {
    this.graph = graph;
    this.sc = sc;
    this.state = new RunState(graph);
    this.cluster = Cluster.cpus(1).withReplicas(List.of("Spark tasks, one per partition"));
    this.exchange = checked(Exchange.parse(sc.getConf().get(Exchange.CONF_KEY, "tree")));
    this.groups = new StepGroups(sc.getConf().getInt(STEPS_PER_JOB, 1));
    this.wire = Wire.parse(sc.getConf().get(Wire.CONF_KEY, "fp32"));
    this.broadcasts = new VariableBroadcasts(sc, graph, state, slices, bytes, times);
  }

  /**
   * Runs {@code k} consecutive training steps per Spark job (TensorFlow's {@code
   * iterations_per_loop}; 1 by default, or {@value #STEPS_PER_JOB} of the Spark configuration): one
   * barrier stage whose tasks each run the worker stage, all-reduce the gradients over the ring and
   * apply the driver stage (the optimizer) to their own copy of the variables, step after step,
   * reading each step's rows of the bound data themselves. Needs the ring exchange, bound data and
   * no feeds, a driver stage that is elementwise per variable (SGD, Momentum, Adam) and only
   * all-reduced boundaries; other training steps are refused before any job.
   *
   * <p>The first training run of a group ({@link #select} of step s) runs steps s to s + k − 1 (not
   * past the {@code end} given to {@link #select(long, int, int, int)}, by default the epoch's last
   * step) and returns step s's fetches; the next k − 1 runs, which must select the following steps
   * with the same fetches, return their steps' recorded fetches without a job. The driver's
   * variables ({@link #readVariable}, a checkpoint, an evaluation run) are those after the group's
   * last step as soon as its first run returns; {@link #writeVariable} ends the group (its later
   * steps are not handed out; the next run starts a new group from the written values).
   */
  public synchronized SparkRunner stepsPerJob(int k) {
    this.groups.close();
    this.groups = new StepGroups(k);
    return this;
  }

  /** Training steps per Spark job ({@link #stepsPerJob(int)}). */
  public synchronized int stepsPerJob() {
    return groups.stepsPerJob();
  }

  /**
   * How training steps exchange gradients: {@link Exchange#TREE} (the default, or the value of
   * {@value Exchange#CONF_KEY} in the Spark configuration), {@link Exchange#SHARDED}, {@link
   * Exchange#RING} or {@link Exchange#AUTO}. A step whose plan cannot use the strategy runs as
   * {@code tree}, with a notice ({@link #exchangeNotices()}). Takes effect for steps compiled from
   * now on. {@code ring} is refused at once when the configuration rules out barrier stages
   * (dynamic allocation), and when a step is compiled if its tasks cannot all run at once.
   */
  public synchronized SparkRunner exchange(Exchange e) {
    checked(e);
    sync();
    groups.discard();
    this.exchange = e;
    steps.clear();
    return this;
  }

  public Exchange exchange() {
    return exchange;
  }

  /**
   * How wide the worker tasks send their gradient sums: {@link Wire#FLOAT32} (the default, or the
   * value of {@value Wire#CONF_KEY} in the Spark configuration: exact, nothing changes) or 16 bits
   * ({@link Wire#BFLOAT16}, {@link Wire#FLOAT16}) with error feedback, which halves the gradient
   * bytes under the {@code tree} and {@code sharded} exchanges and <b>changes the results</b> (each
   * step's update uses the rounded gradients; what rounding drops is sent in later steps). The ring
   * exchange sends float32 whatever the wire (a notice says so). Takes effect from the next step;
   * like {@link #exchange(Exchange)} it first gathers the slices a sharded step holds.
   */
  public synchronized SparkRunner gradientWire(Wire w) {
    this.wire = Objects.requireNonNull(w, "gradient wire");
    sync();
    steps.clear();
    return this;
  }

  public Wire gradientWire() {
    return wire;
  }

  /** The strategy the last Spark step ran with (auto resolved), or null before any. */
  public synchronized Exchange lastStepExchange() {
    return lastExchange;
  }

  /** Why steps asked to run sharded or ring run as tree: one line per such step. */
  public synchronized List<String> exchangeNotices() {
    return List.copyOf(exchangeNotices);
  }

  /** What the driver received from the last Spark step's job. */
  public DriverBytes driverBytes() {
    return bytes;
  }

  /**
   * The sharded placeholders in {@code columns} read the rows of {@code data}: each maps a column
   * of its blocks ({@link Dataset#COLUMNS}: {@code "features"}, {@code "labels"}) to the
   * placeholder that column feeds, e.g. {@code Map.of("features", images, "labels", labels)}.
   * Replaces any earlier binding; every check happens here, before any job.
   */
  public SparkRunner bind(ShardedData data, Map<String, Tensor> columns) {
    Map<Tensor, String> checked = BoundColumns.byPlaceholder(graph, columns);
    this.data = data;
    bound.clear();
    bound.putAll(checked);
    groups.discard();
    steps.clear();
    return this;
  }

  /** The next runs read batch {@code step} of the bound data in the order of {@code seed}. */
  public void select(long seed, int batch, int step) {
    select(seed, batch, step, (int) ((data == null ? 0 : data.size() + batch - 1) / batch));
  }

  /**
   * The next runs read batch {@code step} of the bound data in the order of {@code seed}, and the
   * caller trains no step from {@code end} on in this order: a group of steps ({@link
   * #stepsPerJob(int)}) started here ends before it.
   */
  public synchronized void select(long seed, int batch, int step, int end) {
    if (data == null) {
      throw new IllegalStateException("bind(data, columns) before select");
    }
    if (end <= step) {
      throw new IllegalArgumentException("end " + end + " must come after step " + step);
    }
    rows = new StepRows(seed, batch, step, data.size());
    this.end = end;
  }

  /** Rows of the selected batch. */
  public int selectedRows() {
    return rows == null ? 0 : rows.rows();
  }

  /** How many times variables were broadcast: once per change that a worker stage needed. */
  public long variableBroadcasts() {
    return broadcasts.count();
  }

  /** Where the time of the Spark steps so far went. */
  public StepTimes times() {
    return times;
  }

  /**
   * The plan these fetches run by, given the fed tensors (bound placeholders count as fed). It has
   * one worker stage: a Spark step runs one job, so batch normalization's statistics gather the
   * rows to the driver here (exact) instead of being all-reduced between worker stages.
   */
  public Plan plan(List<Tensor> fetches, Set<Tensor> fed) {
    return Partitioner.plan(fetches, fed, cluster, true, 1);
  }

  @Override
  public synchronized List<INDArray> run(List<Tensor> fetches, Map<Tensor, INDArray> feeds) {
    Set<Tensor> fed = new LinkedHashSet<>(feeds.keySet());
    boolean fromData = false;
    if (data != null) {
      Set<Node> needed = Schedule.needed(fetches, fed);
      for (Tensor b : bound.keySet()) {
        if (!fed.contains(b) && needed.contains(b.node())) {
          fed.add(b);
          fromData = true;
        }
      }
    }
    if (fromData && rows == null) {
      throw new IllegalStateException("select(seed, batch, step) before running on the bound data");
    }
    ShardedData stepData = fromData ? data : null;
    CompiledStep step =
        steps.computeIfAbsent(
            new StepKey(List.copyOf(fetches), Set.copyOf(fed)),
            k -> {
              Plan plan = plan(k.fetches(), k.fed());
              if (plan.worker() == null) {
                return new CompiledStep.OnDriver(new PlanExecutor(plan));
              }
              Map<String, String> columns = new LinkedHashMap<>();
              bound.forEach(
                  (t, col) -> columns.put(plan.feedNames().getOrDefault(t.name(), t.name()), col));
              StepExchange x = StepExchange.of(exchange, plan, tasks(), sc, this::auto);
              if (x.notice() != null) {
                LOG.log(System.Logger.Level.WARNING, x.notice());
                exchangeNotices.add(x.notice());
              }
              if (x.ring() != null && wire != Wire.FLOAT32) {
                String notice =
                    "Gradient wire "
                        + wire.label()
                        + " does not apply to the ring: it sends float32";
                LOG.log(System.Logger.Level.WARNING, notice);
                exchangeNotices.add(notice);
              }
              return new SparkStep(sc, plan, columns, x.slices(), x.ring());
            });
    if (step instanceof SparkStep s && groups.applies(s)) {
      groups.check(s, feeds, fromData); // before any job
      return grouped(s, feeds);
    }
    if (!(step instanceof SparkStep s && s.slices() != null && slices.ownedBy(s))) {
      sync(); // another step may read or write the parameters and optimizer state slices hold
    }
    if (step instanceof SparkStep) {
      bytes.start();
    }
    List<INDArray> out =
        step.run(
            feeds,
            state,
            devices,
            s -> stepRun(feeds, stepData, broadcasts.of(s, version), wire, workerRuns++));
    if (step instanceof SparkStep s) {
      lastExchange = s.exchange();
    }
    Plan plan = step.plan();
    if (plan.driver().graph().nodes().stream().anyMatch(Schedule::isWrite)) {
      version++; // the next worker job needs the new values
    }
    return out;
  }

  /** A training step of a group: its recorded fetches, or a new group's job from this step. */
  private List<INDArray> grouped(SparkStep s, Map<Tensor, INDArray> feeds) {
    List<INDArray> recorded = groups.recorded(s, rows);
    if (recorded != null) {
      bytes.start(); // no job: this step moved nothing through the driver
      return recorded;
    }
    int count = groups.count(rows, end);
    bytes.start();
    StepRun run = stepRun(feeds, data, null, Wire.FLOAT32, workerRuns); // the ring sends float32
    GroupJob.Outcome o = GroupJob.run(s, groups.stage(sc, s), run, graph, count, workerRuns);
    workerRuns += count;
    o.variables().forEach((name, v) -> state.variables().write(graph.node(name), v));
    version++; // the next separate step's broadcast carries the group's variables
    lastExchange = Exchange.RING;
    return groups.ran(s, rows, o.fetches());
  }

  /** What a Spark step's run {@code n} needs from this runner. */
  private StepRun stepRun(
      Map<Tensor, INDArray> feeds,
      ShardedData stepData,
      Broadcast<VariableSnapshot> vars,
      Wire w,
      long n) {
    return new StepRun(
        sc, feeds, stepData, rows, vars, n, state, devices, times, bytes, slices, w, id);
  }

  /** The worker stage's tasks: one per data partition, or per default-parallelism slot. */
  private int tasks() {
    return data != null ? data.partitions() : sc.defaultParallelism();
  }

  /** {@code e}, unless the configuration rules it out before any job. */
  private Exchange checked(Exchange e) {
    String why = e == Exchange.RING ? BarrierSupport.whyNot(sc.getConf()) : null;
    if (why != null) {
      throw new IllegalArgumentException("Exchange ring cannot run: " + why);
    }
    return e;
  }

  /** The strategy {@code auto} picks for a plan: the cost model's fastest, logged with why. */
  private Exchange auto(Plan plan) {
    ExchangeForecast f = forecast(plan, tasks());
    LOG.log(System.Logger.Level.INFO, f.explain());
    return f.choice();
  }

  /**
   * The cost model's prediction for {@code plan} run as {@code tasks} tasks, with the constants set
   * by {@link #linkConstants(LinkConstants)} or measured by {@link #calibrate} (run here on first
   * use).
   */
  public synchronized ExchangeForecast forecast(Plan plan, int tasks) {
    if (constants == null) {
      calibrate(tasks);
    }
    return ExchangeForecast.of(plan, tasks, sc.sc(), constants);
  }

  /**
   * Measures the cluster's constants for the cost model with small jobs of {@code tasks} tasks,
   * within {@value #CALIBRATION_TIMEOUT} of the Spark configuration (60 s by default); an executor
   * that does not answer in time is named in the error.
   */
  public synchronized LinkConstants calibrate(int tasks) {
    long millis = sc.getConf().getTimeAsMs(CALIBRATION_TIMEOUT, "60s");
    constants = Calibration.measure(sc, tasks, Duration.ofMillis(millis));
    LOG.log(System.Logger.Level.INFO, "Exchange calibration: " + constants);
    return constants;
  }

  /** Uses {@code c} instead of a calibration (a cluster described on paper); null to measure. */
  public synchronized SparkRunner linkConstants(LinkConstants c) {
    this.constants = c;
    steps.clear();
    return this;
  }

  /** Gathers the sliced state into the driver's variables; the next broadcast carries them. */
  private void sync() {
    if (slices.sync(state)) {
      version++;
    }
  }

  @Override
  public synchronized INDArray readVariable(Variable v) {
    if (slices.holds(v.node().name())) {
      sync(); // parameters and optimizer state live with their slices: gathered when asked
    }
    return state.variables().read(v.node()).dup();
  }

  @Override
  public synchronized void writeVariable(Variable v, INDArray value) {
    sync();
    groups.discard(); // a group's later steps ran from the old values
    state.variables().write(v.node(), value.dup());
    version++;
  }

  @Override
  public boolean isInitialized(Variable v) {
    return state.variables().has(v.node());
  }

  public Graph graph() {
    return graph;
  }

  @Override
  public synchronized void close() {
    sync();
    groups.close();
    broadcasts.close();
    devices.close();
    state.close();
  }
}

package io.anygraph.examples.train;

import io.anygraph.core.Tensor;
import io.anygraph.core.exec.Runner;
import io.anygraph.data.Batch;
import io.anygraph.data.Dataset;
import io.anygraph.local.LocalOptions;
import io.anygraph.local.LocalRunner;
import io.anygraph.partition.Plan;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Training on the local runner: batches of a dataset in this JVM, fed to each step. */
public final class LocalTraining implements TrainingBackend {
  private final ModelGraph model;
  private final Dataset train;
  private final LocalRunner runner;
  private final String description;

  /** Training on {@code devices} logical CPUs (and any GPU ND4J sees). */
  public LocalTraining(ModelGraph model, Dataset train, int devices) {
    this(model, train, LocalOptions.cpus(devices));
  }

  /** Training on the devices of {@code options} ({@link TrainOptions#localOptions()}). */
  public LocalTraining(ModelGraph model, Dataset train, LocalOptions options) {
    this.model = model;
    this.train = train;
    this.runner = new LocalRunner(model.graph(), options);
    this.description = describe(options);
  }

  /** The runner as commands print it: {@code local}, {@code local, 2 devices}, ... */
  static String describe(LocalOptions options) {
    if (!options.devices().isEmpty()) {
      return "local, " + String.join(", ", options.devices());
    }
    return "local" + (options.cpus() > 1 ? ", " + options.cpus() + " devices" : "");
  }

  @Override
  public Runner runner() {
    return runner;
  }

  @Override
  public long size() {
    return train.size();
  }

  @Override
  public Iterable<Step> epoch(long seed, int batchSize) {
    Iterable<Batch> batches = train.shuffledBatches(seed, batchSize);
    return () -> {
      Iterator<Batch> it = batches.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Step next() {
          Batch b = it.next();
          return new Step(
              Map.of(model.features(), b.features(), model.labels(), b.labels()), b.size());
        }
      };
    };
  }

  @Override
  public Plan plan(List<Tensor> fetches, Set<Tensor> fed) {
    return runner.plan(fetches, fed);
  }

  @Override
  public String describe() {
    return description;
  }
}

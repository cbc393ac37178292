package io.anygraph.examples.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.data.Dataset;
import io.anygraph.data.Mnist;
import io.anygraph.examples.Main;
import io.anygraph.interop.tf.GraphDefs;
import io.anygraph.local.LocalRunner;
import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.SparkRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A TensorFlow softmax regression trained on digits: Spark {@code local[2]} equals local. */
class ImportTfSparkTest {
  /**
   * {@code logits = images @ w + b; loss = mean(sparse_xent(logits, labels))} as TensorFlow 1.x
   * writes it, weights initialized from constants (a repeated value fills the shape).
   */
  static final String GRAPH =
      """
      node { name: "images" op: "Placeholder"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "shape" value { shape { dim { size: -1 } dim { size: 784 } } } } }
      node { name: "labels" op: "Placeholder"
        attr { key: "dtype" value { type: DT_INT32 } }
        attr { key: "shape" value { shape { dim { size: -1 } } } } }
      node { name: "dense/w" op: "VariableV2"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "shape" value { shape { dim { size: 784 } dim { size: 10 } } } } }
      node { name: "dense/w/initial_value" op: "Const"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "value" value { tensor { dtype: DT_FLOAT
          tensor_shape { dim { size: 784 } dim { size: 10 } } float_val: 0.001 } } } }
      node { name: "dense/w/Assign" op: "Assign" input: "dense/w" input: "dense/w/initial_value" }
      node { name: "dense/w/read" op: "Identity" input: "dense/w" }
      node { name: "dense/b" op: "VariableV2"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "shape" value { shape { dim { size: 10 } } } } }
      node { name: "dense/b/initial_value" op: "Const"
        attr { key: "dtype" value { type: DT_FLOAT } }
        attr { key: "value" value { tensor { dtype: DT_FLOAT
          tensor_shape { dim { size: 10 } } float_val: 0 } } } }
      node { name: "dense/b/Assign" op: "Assign" input: "dense/b" input: "dense/b/initial_value" }
      node { name: "dense/b/read" op: "Identity" input: "dense/b" }
      node { name: "dense/MatMul" op: "MatMul" input: "images" input: "dense/w/read" }
      node { name: "dense/BiasAdd" op: "BiasAdd" input: "dense/MatMul" input: "dense/b/read" }
      node { name: "loss/xent" op: "SparseSoftmaxCrossEntropyWithLogits"
        input: "dense/BiasAdd" input: "labels" }
      node { name: "loss/axes" op: "Const"
        attr { key: "dtype" value { type: DT_INT32 } }
        attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 1 } }
          int_val: 0 } } } }
      node { name: "loss/Mean" op: "Mean" input: "loss/xent" input: "loss/axes" }
      """;

  private static SparkSession spark;
  private static JavaSparkContext sc;
  private static Dataset digits;

  @BeforeAll
  static void start() throws Exception {
    spark =
        SparkSetup.session(
            SparkSetup.conf("import-tf-test")
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false"));
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    digits = Mnist.load(Mnist.defaultDir()).train().take(512);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void stepsOnSparkEqualTheLocalRunner() {
    var names = new ImportedTraining.Names("loss/Mean", "images", "labels");
    ImportedTraining local = new ImportedTraining(GraphDefs.parseText(GRAPH, "test"), names, 0.5);
    List<Double> localLosses = local.run(t -> new LocalRunner(t.tf.graph()), digits, 4, 64, 7);
    ImportedTraining onSpark = new ImportedTraining(GraphDefs.parseText(GRAPH, "test"), names, 0.5);
    List<Double> sparkLosses =
        onSpark.run(t -> new SparkRunner(t.tf.graph(), sc), digits, 4, 64, 7);

    assertEquals(Math.log(10), localLosses.get(0), 1e-3); // equal logits at the start
    assertTrue(localLosses.get(3) < localLosses.get(0) - 0.2, "it learns: " + localLosses);
    for (int i = 0; i < localLosses.size(); i++) {
      assertEquals(localLosses.get(i), sparkLosses.get(i), 1e-5, "loss at step " + i);
    }
    for (int v = 0; v < local.weights().size(); v++) {
      INDArray a = local.weights().get(v);
      INDArray b = onSpark.weights().get(v);
      assertTrue(
          a.sub(b).amaxNumber().doubleValue() <= 1e-5,
          "variable " + v + " differs by " + a.sub(b).amaxNumber());
    }
  }

  @Test
  void theCommandTrainsAGraphFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("softmax.pbtxt");
    Files.writeString(file, GRAPH);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {
              "import-tf",
              "--graph",
              file.toString(),
              "--loss",
              "loss/Mean",
              "--steps",
              "3",
              "--batch",
              "32"
            },
            new PrintStream(out),
            new PrintStream(new ByteArrayOutputStream()));
    assertEquals(0, rc, out.toString());
    assertTrue(out.toString().contains("step 3 loss"), out.toString());
  }
}

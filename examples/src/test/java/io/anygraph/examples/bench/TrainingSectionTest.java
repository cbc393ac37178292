package io.anygraph.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anygraph.data.Batch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A benchmark section hands peers Anygraph's initial parameters, trains every engine on the same
 * batches, and reports each engine's figure, its losses and Anygraph's ratio to the others (checked
 * here for structure and arithmetic, not for speed).
 */
class TrainingSectionTest {
  private static final long[] SIZES = {12, 7, 3};

  @Test
  void aSectionReportsFiguresLossesAndRatios(@TempDir Path dir) throws Exception {
    List<Batch> batches = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      INDArray x = Nd4j.rand(20 + i, new long[] {8, 12}).castTo(DataType.FLOAT);
      batches.add(new Batch(x, Nd4j.createFromArray(0, 1, 2, 0, 1, 2, 0, 1), 8));
    }
    List<Map<String, INDArray>> handed = new ArrayList<>();
    TrainingSection.Contender raw =
        initial -> {
          handed.add(initial);
          return new RawNd4jMlp(SIZES, 9, 0.5);
        };
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    BenchReport report = new BenchReport("test machine", Map.of("Anygraph", "ND4J"));
    new TrainingSection(
            new Harness(0.01, 3), new PrintStream(text, true, StandardCharsets.UTF_8), report)
        .run("mlp", "tiny MLP", batches, () -> AnygraphNets.mlp(SIZES, 9, 0.5), List.of(raw));

    assertEquals(List.of("w0", "b0", "w1", "b1"), new ArrayList<>(handed.get(0).keySet()));
    assertArrayEquals(new long[] {12, 7}, handed.get(0).get("w0").shape());
    Path file = dir.resolve("bench.json");
    report.write(file);
    JsonNode section = new ObjectMapper().readTree(file.toFile()).get("sections").get(0);
    assertEquals("mlp", section.get("section").asText());
    assertEquals(8, section.get("batch").asInt());
    JsonNode anygraph = section.get("engines").get("Anygraph");
    JsonNode other = section.get("engines").get("raw ND4J");
    assertTrue(
        anygraph.get("loss_last").asDouble() < anygraph.get("loss_first").asDouble(),
        "Anygraph trained: " + anygraph);
    assertTrue(other.get("loss_first").isNull(), "raw ND4J reports no loss");
    double ratio = anygraph.get("median").asDouble() / other.get("median").asDouble();
    assertEquals(ratio, section.get("anygraph_over").get("raw ND4J").asDouble(), 1e-9 * ratio);
    String printed = text.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("== tiny MLP") && printed.contains("Anygraph / raw ND4J = "), printed);
  }
}

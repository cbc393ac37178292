package io.anygraph.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input a tester found, through {@code Main.run}: exactly one line on stderr, {@code
 * anygraph CMD: SUBJECT: PROBLEM}, exit 2 for usage errors and 1 for data, file and cluster
 * problems, and nothing trained or written first.
 */
class RefusalsTest {
  private static Path tmp;

  /** A port nothing listens on: bound once, then closed. */
  private static int deadPort;

  @BeforeAll
  static void files() throws IOException {
    tmp = Files.createTempDirectory("anygraph-refusals");
    Files.writeString(tmp.resolve("afile"), "not a folder");
    Files.createDirectories(tmp.resolve("emptydir"));
    TinyMnist.write(tmp.resolve("empty-data"), 0, 0);
    TinyMnist.write(tmp.resolve("tiny-data"), 10, 10);
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
  }

  static Stream<Arguments> refusals() {
    String seedRange = "needs a whole number between -9223372036854775808 and 9223372036854775807";
    return Stream.of(
        // usage errors: exit 2
        bad(
            2,
            "anygraph: nope: unknown command (commands: tutorial, mnist, resnet, charlm,"
                + " transformer, recommender, explain, score-mnist, bench, board, import-tf,"
                + " submit; anygraph help)",
            "nope"),
        bad(
            2,
            "anygraph mnist: --nope: unknown option (see anygraph mnist --help)",
            "mnist",
            "--nope",
            "1"),
        bad(2, "anygraph mnist: --epochs: needs a value (--epochs N)", "mnist", "--epochs"),
        bad(
            2,
            "anygraph mnist: --runner: 'mars' is not one of: local, spark",
            "mnist",
            "--runner",
            "mars"),
        bad(
            2,
            "anygraph mnist: --lr: needs a finite number above 0, not 'NaN'",
            "mnist",
            "--lr",
            "NaN"),
        bad(
            2,
            "anygraph mnist: --lr: needs a finite number above 0, not 'Infinity'",
            "mnist",
            "--lr",
            "Infinity"),
        bad(
            2,
            "anygraph mnist: --lr: needs a finite number above 0, not '-1'",
            "mnist",
            "--lr",
            "-1"),
        bad(
            2,
            "anygraph mnist: --lr: needs a finite number above 0, not 'fast'",
            "mnist",
            "--lr",
            "fast"),
        bad(2, "anygraph mnist: --seed: " + seedRange + ", not 'NaN'", "mnist", "--seed", "NaN"),
        bad(2, "anygraph mnist: --seed: " + seedRange + ", not '1.9'", "mnist", "--seed", "1.9"),
        bad(2, "anygraph mnist: --seed: " + seedRange + ", not '1e30'", "mnist", "--seed", "1e30"),
        bad(
            2,
            "anygraph mnist: --epochs: needs a whole number of at least 1, not '0'",
            "mnist",
            "--epochs",
            "0"),
        bad(
            2,
            "anygraph mnist: --steps: needs a whole number of at least 1, not '0'",
            "mnist",
            "--steps",
            "0"),
        bad(
            2,
            "anygraph mnist: --batch: needs a whole number of at least 1, not '2.5'",
            "mnist",
            "--batch",
            "2.5"),
        bad(
            2,
            "anygraph mnist: --devices: needs a whole number of at least 1, not '0'",
            "mnist",
            "--devices",
            "0"),
        bad(
            2,
            "anygraph mnist: --batch: needs a whole number of at least 1 and at most 2147483647,"
                + " not '9999999999'",
            "mnist",
            "--batch",
            "9999999999"),
        bad(
            2,
            "anygraph mnist: --partitions: needs a whole number of at least 1, not '0'",
            "mnist",
            "--runner",
            "spark",
            "--partitions",
            "0"),
        bad(
            2,
            "anygraph mnist: --devices: applies to --runner local",
            "mnist",
            "--runner",
            "spark",
            "--devices",
            "2"),
        bad(
            2,
            "anygraph mnist: --master: applies to --runner spark",
            "mnist",
            "--master",
            "local[2]"),
        bad(
            2,
            "anygraph mnist: --partitions: applies to --runner spark",
            "mnist",
            "--partitions",
            "2"),
        bad(
            2,
            "anygraph mnist: --exchange: 'rings' is not one of: tree, sharded, ring, auto",
            "mnist",
            "--runner",
            "spark",
            "--exchange",
            "rings"),
        bad(
            2,
            "anygraph mnist: --exchange: applies to --runner spark",
            "mnist",
            "--exchange",
            "sharded"),
        bad(
            2,
            "anygraph mnist: --gradient-wire: 'bf8' is not one of: fp32, bf16, fp16",
            "mnist",
            "--runner",
            "spark",
            "--gradient-wire",
            "bf8"),
        bad(
            2,
            "anygraph mnist: --gradient-wire: applies to --runner spark",
            "mnist",
            "--gradient-wire",
            "bf16"),
        bad(2, "anygraph mnist: --resume: needs --checkpoint DIR", "mnist", "--resume"),
        bad(2, "anygraph mnist: --json {tmp}: is a folder, not a file", "mnist", "--json", "{tmp}"),
        bad(
            2,
            "anygraph mnist: --checkpoint {tmp}/afile: is a file, not a folder",
            "mnist",
            "--checkpoint",
            "{tmp}/afile"),
        bad(
            2,
            "anygraph mnist: --logdir {tmp}/afile: is a file, not a folder",
            "mnist",
            "--logdir",
            "{tmp}/afile"),
        bad(
            2,
            "anygraph mnist: --batch: 64 is more than the 10 training examples",
            "mnist",
            "--data",
            "{tmp}/tiny-data"),
        bad(
            2,
            "anygraph bench: --only: unknown section 'dispatchh' (sections: mlp, cnn, dispatch, curve, gemm, spark, scale, soak)",
            "bench",
            "--only",
            "dispatchh"),
        bad(
            2,
            "anygraph bench: --only: unknown section 'cnnx' (sections: mlp, cnn, dispatch, curve, gemm, spark, scale, soak)",
            "bench",
            "--only",
            "mlp,cnnx"),
        bad(
            2,
            "anygraph bench: --window: needs a finite number above 0, not 'abc'",
            "bench",
            "--window",
            "abc"),
        bad(
            2,
            "anygraph bench: --windows: needs a whole number of at least 1, not '0'",
            "bench",
            "--windows",
            "0"),
        bad(
            2,
            "anygraph bench: --master: applies to the spark, scale and soak sections",
            "bench",
            "--only",
            "gemm",
            "--master",
            "local[4]"),
        bad(
            2,
            "anygraph bench: --exchange: applies to the spark and scale sections",
            "bench",
            "--only",
            "mlp",
            "--exchange",
            "sharded"),
        bad(
            2,
            "anygraph bench: --exchange: 'rings' is not one of: tree, sharded, ring",
            "bench",
            "--only",
            "scale",
            "--exchange",
            "rings"),
        bad(
            2,
            "anygraph bench: --steps-per-job: several steps per job need --exchange ring, not tree",
            "bench",
            "--only",
            "spark",
            "--exchange",
            "tree",
            "--steps-per-job",
            "4"),
        bad(
            2,
            "anygraph bench: --steps-per-job: applies to the spark section",
            "bench",
            "--only",
            "mlp",
            "--steps-per-job",
            "4"),
        bad(
            2,
            "anygraph mnist: --steps-per-job: applies to --runner spark",
            "mnist",
            "--steps-per-job",
            "4"),
        bad(
            2,
            "anygraph bench: --gradient-wire: applies to the spark and scale sections",
            "bench",
            "--only",
            "mlp",
            "--gradient-wire",
            "fp16"),
        bad(
            2,
            "anygraph bench: --minutes: applies to the soak section",
            "bench",
            "--only",
            "mlp",
            "--minutes",
            "3"),
        bad(
            2,
            "anygraph bench: --runner: applies to the soak section",
            "bench",
            "--only",
            "mlp",
            "--runner",
            "local"),
        bad(
            2,
            "anygraph bench: --runner: 'gpu' is not local, spark or both",
            "bench",
            "--only",
            "soak",
            "--runner",
            "gpu"),
        bad(
            2,
            "anygraph bench: --only: soak runs alone, not with [mlp]",
            "bench",
            "--only",
            "soak,mlp"),
        bad(
            2,
            "anygraph bench: --minutes: needs a finite number above 0, not '0'",
            "bench",
            "--only",
            "soak",
            "--minutes",
            "0"),
        bad(
            2,
            "anygraph bench: --profile: applies to the mlp and cnn sections",
            "bench",
            "--only",
            "gemm",
            "--profile"),
        bad(2, "anygraph explain: model: missing (one of: mnist)", "explain"),
        bad(2, "anygraph explain: cnn: unknown model (one of: mnist)", "explain", "cnn"),
        bad(
            2,
            "anygraph explain: --devices: needs a whole number of at least 1, not 'two'",
            "explain",
            "mnist",
            "--devices",
            "two"),
        bad(
            2,
            "anygraph score-mnist: --epochs: applies to training without --checkpoint",
            "score-mnist",
            "--checkpoint",
            "{tmp}/emptydir",
            "--epochs",
            "2"),
        bad(2, "anygraph board: --logdir: is required (--logdir DIR)", "board"),
        bad(
            2,
            "anygraph board: --port: needs a port number (0-65535), not '70000'",
            "board",
            "--logdir",
            "{tmp}",
            "--port",
            "70000"),
        bad(
            2,
            "anygraph tutorial: --logdir {tmp}/afile: is a file, not a folder",
            "tutorial",
            "--logdir",
            "{tmp}/afile"),
        bad(
            2,
            "anygraph tutorial: extra: unexpected argument (options start with --)",
            "tutorial",
            "extra"),
        bad(
            2,
            "anygraph submit: bin/anygraph submit: starts spark-submit; run it through the launcher",
            "submit"),
        // data, file and cluster problems: exit 1
        bad(
            1,
            "anygraph mnist: --data {tmp}/missing: no such folder",
            "mnist",
            "--data",
            "{tmp}/missing"),
        bad(
            1,
            "anygraph mnist: --data {tmp}/empty-data: holds no training examples",
            "mnist",
            "--data",
            "{tmp}/empty-data"),
        bad(
            1,
            "anygraph mnist: --json {tmp}/afile/out.json: {tmp}/afile is a file, not a folder",
            "mnist",
            "--json",
            "{tmp}/afile/out.json"),
        bad(
            1,
            "anygraph mnist: --master spark://127.0.0.1:{port}: cannot reach the master at"
                + " 127.0.0.1:{port} (Connection refused)",
            "mnist",
            "--runner",
            "spark",
            "--master",
            "spark://127.0.0.1:{port}"),
        bad(
            1,
            "anygraph bench: --master spark://127.0.0.1:{port}: cannot reach the master at"
                + " 127.0.0.1:{port} (Connection refused)",
            "bench",
            "--only",
            "spark",
            "--master",
            "spark://127.0.0.1:{port}"),
        bad(
            1,
            "anygraph score-mnist: --checkpoint {tmp}/missing: no such folder",
            "score-mnist",
            "--checkpoint",
            "{tmp}/missing"),
        bad(
            1,
            "anygraph score-mnist: --checkpoint {tmp}/emptydir: holds no checkpoint (ckpt-N folders"
                + " of anygraph mnist --checkpoint)",
            "score-mnist",
            "--checkpoint",
            "{tmp}/emptydir",
            "--master",
            "local[1]"),
        bad(
            1,
            "anygraph board: --logdir {tmp}/missing: no such folder",
            "board",
            "--logdir",
            "{tmp}/missing"));
  }

  private static Arguments bad(int exit, String line, String... args) {
    return Arguments.of(exit, line, args);
  }

  @ParameterizedTest(name = "{2} -> {0}")
  @MethodSource("refusals")
  void isRefusedInOneLine(int exit, String line, String[] args) {
    String[] filled = Stream.of(args).map(RefusalsTest::fill).toArray(String[]::new);
    CommandRun r = CommandRun.of(filled);
    assertEquals(fill(line) + "\n", r.err(), "stderr");
    assertEquals(exit, r.exit(), "exit status");
    assertEquals("", r.out(), "nothing done before the refusal");
  }

  private static String fill(String s) {
    return s.replace("{tmp}", tmp.toString()).replace("{port}", Integer.toString(deadPort));
  }
}

package io.anygraph.examples.library;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A separate Maven project built the way a user builds one: its own folder, its own local
 * repository holding this build's Anygraph artifacts (laid out as {@code mvn install} lays them
 * out, without touching the shared {@code ~/.m2}), and third-party artifacts from {@code ~/.m2}
 * through a {@code file://} mirror (no network).
 */
final class ConsumerBuild {
  /** The repository root (failsafe runs in the examples module's folder). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** Modules a program using anygraph-spark-runner needs (with their parent POMs). */
  static final List<String> LIBRARY_MODULES =
      List.of("core", "partitioner", "local-runner", "data", "spark-runner");

  /** A finished process: its exit code and its output (stdout and stderr together). */
  record Run(int exitCode, String output) {}

  final Path repository;
  final Path settings;
  final Path project;
  final String version;

  ConsumerBuild(Path tmp) throws IOException {
    this.repository = tmp.resolve("repository");
    this.settings = tmp.resolve("settings.xml");
    this.project = tmp.resolve("consumer");
    this.version = projectVersion();
  }

  /** The project's version, as the BOM declares it. */
  static String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>anygraph-bom</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("bom/pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("bom/pom.xml declares no version");
    }
    return m.group(1);
  }

  /** Puts the BOM, the parent POM and the library modules' POMs and jars into the repository. */
  void installArtifacts() throws IOException {
    install("anygraph-bom", ROOT.resolve("bom/pom.xml"), null);
    install("anygraph-parent", ROOT.resolve("pom.xml"), null);
    for (String module : LIBRARY_MODULES) {
      String artifact = "anygraph-" + module;
      Path jar = ROOT.resolve(module).resolve("target").resolve(artifact + "-" + version + ".jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(
            jar + " is missing: run this test after package (mvn verify)");
      }
      install(artifact, ROOT.resolve(module).resolve("pom.xml"), jar);
    }
  }

  private void install(String artifact, Path pom, Path jar) throws IOException {
    Path dir = repository.resolve("io/anygraph").resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Files.copy(
        pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(
          jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Copies the consumer project from the test resources, with this project's version filled in. */
  void writeProject() throws IOException {
    Path source = Path.of("src/test/resources/library-consumer").toAbsolutePath();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = project.resolve(source.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.writeString(to, Files.readString(f).replace("@anygraph.version@", version));
      }
    }
    String home = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
    Files.writeString(
        settings,
        """
        <settings>
          <mirrors>
            <mirror><id>home-m2</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
          </mirrors>
        </settings>
        """
            .formatted(home));
  }

  /**
   * Quiet {@code mvn} (errors only) in the consumer project, with the temporary repository and the
   * mirror.
   */
  Run mvn(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "mvn", "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repository));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Runs {@code command} in the consumer project; fails if it is still running after 15 minutes.
   */
  Run run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(project.getParent(), "run", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(
          String.join(" ", command)
              + " did not finish; output:\n"
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}

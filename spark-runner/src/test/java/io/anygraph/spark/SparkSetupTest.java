package io.anygraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSetupTest {
  @Test
  void kryoWithRegistrationRequiredAndTheEmbeddedMasterByDefault() {
    SparkConf c = SparkSetup.conf("app");
    assertEquals("app", c.get("spark.app.name"));
    assertEquals("local[*]", c.get("spark.master"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", c.get("spark.serializer"));
    assertEquals("true", c.get("spark.kryo.registrationRequired"));
    assertEquals(AnygraphKryoRegistrator.class.getName(), c.get("spark.kryo.registrator"));
    assertEquals("127.0.0.1", c.get("spark.driver.bindAddress"));
  }

  @Test
  void keepsTheUsersSettingsAndAddsToThem() {
    SparkConf user =
        new SparkConf(false)
            .setMaster("spark://127.0.0.1:7077")
            .setAppName("mine")
            .set("spark.kryo.registrator", "com.example.Mine")
            .set("spark.executor.extraJavaOptions", "-Dmine=1")
            .set("spark.kryoserializer.buffer.max", "64m");
    SparkConf c = SparkSetup.configure(user);
    assertEquals("spark://127.0.0.1:7077", c.get("spark.master"));
    assertTrue(
        !c.contains("spark.driver.bindAddress")); // a cluster's executors must reach the driver
    assertEquals("mine", c.get("spark.app.name"));
    assertEquals(
        "com.example.Mine," + AnygraphKryoRegistrator.class.getName(),
        c.get("spark.kryo.registrator"));
    assertEquals("64m", c.get("spark.kryoserializer.buffer.max"));
    SparkSetup.configure(c); // twice changes nothing
    assertEquals(
        "com.example.Mine," + AnygraphKryoRegistrator.class.getName(),
        c.get("spark.kryo.registrator"));
  }

  @Test
  void keepsAUsersRegistrationRequiredFalseAndWarnsNamingBothValues() {
    SparkConf user = new SparkConf(false).set("spark.kryo.registrationRequired", "false");
    List<String> warnings = SparkSetup.configureQuietly(user);
    assertEquals("false", user.get("spark.kryo.registrationRequired"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", user.get("spark.serializer"));
    assertEquals(1, warnings.size(), warnings.toString());
    String w = warnings.get(0);
    assertTrue(
        w.contains("spark.kryo.registrationRequired=false") && w.contains("would set true"), w);
  }

  @Test
  void keepsAUsersSerializerAndWarns() {
    SparkConf user =
        new SparkConf(false).set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    List<String> warnings = SparkSetup.configureQuietly(user);
    assertEquals("org.apache.spark.serializer.JavaSerializer", user.get("spark.serializer"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).contains("spark.serializer=org.apache.spark.serializer.JavaSerializer")
            && warnings.get(0).contains("would set org.apache.spark.serializer.KryoSerializer"),
        warnings.get(0));
    assertEquals(
        List.of(), SparkSetup.configureQuietly(SparkSetup.conf("app"))); // ours: nothing to warn
  }

  @Test
  void executorsGetThisJvmsModuleFlags() {
    // Surefire starts this JVM with the project's --add-opens list (jvm.opens in pom.xml)
    String opts = SparkSetup.conf("app").get("spark.executor.extraJavaOptions");
    assertTrue(opts.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), opts);
    assertTrue(opts.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), opts);
    assertEquals(SparkSetup.moduleFlags().size(), opts.split(" ").length, opts);
  }

  @Test
  void executorsInheritTheNativeHeapTrimAndModuleFlagsOnly() {
    List<String> args =
        List.of(
            "-Xmx2g",
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "-XX:TrimNativeHeapInterval=5000",
            "-XX:+UseG1GC",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
    assertEquals(
        List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "-XX:TrimNativeHeapInterval=5000"),
        SparkSetup.inheritedFlags(args));
  }

  @Test
  void javaOptionsAreTheListPomXmlAndBinAnygraphUse() throws Exception {
    List<String> options = SparkSetup.javaOptions();
    assertEquals(9, options.size(), options.toString());
    assertTrue(
        options.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), options.toString());
    // surefire runs in the module's folder: the repository root is its parent
    String pom = Files.readString(Path.of("..", "pom.xml"));
    Matcher m = Pattern.compile("<jvm.opens>([^<]*)</jvm.opens>").matcher(pom);
    assertTrue(m.find(), "pom.xml has no jvm.opens property");
    assertEquals(options, List.of(m.group(1).trim().split("\\s+")));
    String launcher = Files.readString(Path.of("..", "bin", "anygraph"));
    m = Pattern.compile("\\nopens=\\(([^)]*)\\)").matcher(launcher);
    assertTrue(m.find(), "bin/anygraph has no opens=(...) list");
    assertEquals(
        options,
        Arrays.stream(m.group(1).trim().split("\\s+"))
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
            .toList());
    assertEquals(List.of(), SparkSetup.missingJavaOptions()); // surefire starts with jvm.opens
  }

  @Test
  void executorsGetTheNeededFlagsEvenIfTheDriverLacksSome() {
    SparkConf c =
        SparkSetup.configure(
            new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dmine=1"));
    String opts = c.get("spark.executor.extraJavaOptions");
    assertTrue(opts.startsWith("-Dmine=1 "), opts);
    for (String flag : SparkSetup.javaOptions()) {
      assertTrue(opts.contains(flag), flag + " in " + opts);
    }
  }
}

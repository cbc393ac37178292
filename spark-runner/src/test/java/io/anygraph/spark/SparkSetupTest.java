package io.anygraph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    SparkConf user = new SparkConf(false).setMaster("spark://127.0.0.1:7077").setAppName("mine")
        .set("spark.kryo.registrator", "com.example.Mine")
        .set("spark.executor.extraJavaOptions", "-Dmine=1")
        .set("spark.kryoserializer.buffer.max", "64m");
    SparkConf c = SparkSetup.configure(user);
    assertEquals("spark://127.0.0.1:7077", c.get("spark.master"));
    assertTrue(!c.contains("spark.driver.bindAddress")); // a cluster's executors must reach the driver
    assertEquals("mine", c.get("spark.app.name"));
    assertEquals("com.example.Mine," + AnygraphKryoRegistrator.class.getName(), c.get("spark.kryo.registrator"));
    assertEquals("64m", c.get("spark.kryoserializer.buffer.max"));
    SparkSetup.configure(c); // twice changes nothing
    assertEquals("com.example.Mine," + AnygraphKryoRegistrator.class.getName(), c.get("spark.kryo.registrator"));
  }

  @Test
  void keepsAUsersRegistrationRequiredFalseAndWarnsNamingBothValues() {
    SparkConf user = new SparkConf(false).set("spark.kryo.registrationRequired", "false");
    List<String> warnings = SparkSetup.configureQuietly(user);
    assertEquals("false", user.get("spark.kryo.registrationRequired"));
    assertEquals("org.apache.spark.serializer.KryoSerializer", user.get("spark.serializer"));
    assertEquals(1, warnings.size(), warnings.toString());
    String w = warnings.get(0);
    assertTrue(w.contains("spark.kryo.registrationRequired=false") && w.contains("would set true"), w);
  }

  @Test
  void keepsAUsersSerializerAndWarns() {
    SparkConf user = new SparkConf(false).set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    List<String> warnings = SparkSetup.configureQuietly(user);
    assertEquals("org.apache.spark.serializer.JavaSerializer", user.get("spark.serializer"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("spark.serializer=org.apache.spark.serializer.JavaSerializer")
        && warnings.get(0).contains("would set org.apache.spark.serializer.KryoSerializer"), warnings.get(0));
    assertEquals(List.of(), SparkSetup.configureQuietly(SparkSetup.conf("app"))); // ours: nothing to warn
  }

  @Test
  void executorsGetThisJvmsModuleFlags() {
    // Surefire starts this JVM with the project's --add-opens list (jvm.opens in pom.xml)
    String opts = SparkSetup.conf("app").get("spark.executor.extraJavaOptions");
    assertTrue(opts.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), opts);
    assertTrue(opts.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), opts);
    assertEquals(SparkSetup.moduleFlags().size(), opts.split(" ").length, opts);
  }
}

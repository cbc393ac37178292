package io.anygraph.spark.kryo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anygraph.spark.SparkSetup;
import io.anygraph.spark.exec.GroupResult;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** A task's result of a group of steps, and an array of them (what collect ships), through Kryo. */
class GroupResultKryoTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(SparkSetup.conf("group-kryo-test")).newInstance();

  @Test
  void timingsFetchesAndVariablesComeBackAsWritten() {
    GroupResult r =
        new GroupResult(
            0,
            new long[] {5, 7},
            new long[] {1, 2},
            3,
            List.of(Map.of("loss:0", Nd4j.scalar(0.5f)), Map.of("loss:0", Nd4j.scalar(0.25f))),
            Map.of("w", Nd4j.createFromArray(1f, 2f, 3f).reshape(3, 1)));
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = KRYO.serialize(new GroupResult[] {r}, tag);
    GroupResult back = ((GroupResult[]) KRYO.deserialize(bytes, tag))[0];
    assertEquals(0, back.task());
    assertArrayEquals(new long[] {5, 7}, back.computeNanos());
    assertArrayEquals(new long[] {1, 2}, back.ringNanos());
    assertEquals(3, back.deserializeNanos());
    assertEquals(0.25f, back.fetches().get(1).get("loss:0").getFloat(0));
    assertArrayEquals(new long[] {3, 1}, back.variables().get("w").shape());
    assertArrayEquals(new float[] {1, 2, 3}, back.variables().get("w").data().asFloat());
  }
}

package io.anygraph.spark.kryo;

import io.anygraph.core.ArrayZoo;
import io.anygraph.core.ArrayZoo.Specimen;
import io.anygraph.spark.SparkSetup;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Kryo (as Anygraph's jobs configure it) gives back exactly the array it was given, for every dtype
 * and layout of {@link ArrayZoo}: ordinary, permuted (mislabelled by ND4J), sliced at an offset,
 * rank 0 and empty.
 */
class NdArrayRoundTripTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(SparkSetup.conf("kryo-round-trip")).newInstance();

  static Stream<Specimen> specimens() {
    return ArrayZoo.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void serializedAndRead(Specimen s) {
    ClassTag<Object> tag = ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = KRYO.serialize(s.array(), tag);
    ArrayZoo.assertHolds(s, (INDArray) KRYO.deserialize(bytes, tag), "Kryo");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void copied(Specimen s) {
    ArrayZoo.assertHolds(s, new NdArraySerializer().copy(null, s.array()), "Kryo copy");
  }
}

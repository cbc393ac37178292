package io.anygraph.spark.frame;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.anygraph.core.AnygraphException;
import io.anygraph.core.ArrayZoo;
import io.anygraph.core.ArrayZoo.Specimen;
import io.anygraph.spark.LocalSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fetched array becomes a DataFrame column ({@link ColumnFetch}) and that column feeds it back
 * ({@link ColumnFeed}) unchanged, through a real DataFrame of the embedded Spark, for every dtype
 * and layout of {@link ArrayZoo} (float16 and bfloat16 travel as float columns, exactly).
 */
class ColumnRoundTripTest {
  static Stream<Specimen> specimens() {
    return ArrayZoo.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specimens")
  void fetchedColumnFeedsTheSameArray(Specimen s) {
    INDArray a = s.array();
    boolean number = a.rank() == 1;
    ColumnFetch fetch = new ColumnFetch("t:0", "c", "tensor t", s.dtype(), number);
    if (a.rank() == 0) {
      // a scalar has no batch axis to make rows of
      assertThrows(AnygraphException.class, () -> fetch.unpack(a, 1));
      return;
    }
    int rows = (int) a.size(0);
    List<Row> data = new ArrayList<>();
    for (Object cell : fetch.unpack(a, rows)) {
      data.add(RowFactory.create(cell));
    }
    StructType schema = new StructType(new StructField[] {fetch.field()});
    List<Row> back = LocalSpark.session().createDataFrame(data, schema).collectAsList();
    long[] rowShape = Arrays.copyOfRange(a.shape(), 1, a.rank());
    ColumnFeed feed =
        new ColumnFeed(
            "c",
            0,
            "t:0",
            "tensor t",
            s.dtype(),
            number ? ColumnFeed.Kind.NUMBER : ColumnFeed.Kind.ARRAY,
            rowShape);
    ArrayZoo.assertHolds(s, feed.pack(back, 0, "partition 0"), "DataFrame column");
  }
}

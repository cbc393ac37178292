package io.anygraph.data.io;

import static io.anygraph.data.io.CheckpointTest.model;
import static io.anygraph.data.io.CheckpointTest.steps;
import static io.anygraph.data.io.CheckpointTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anygraph.core.Checkpoint;
import io.anygraph.core.Graph;
import io.anygraph.core.GraphFile;
import io.anygraph.core.Node;
import io.anygraph.core.Session;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Graph files and checkpoints on a real HDFS: an in-process MiniDFSCluster (namenode + datanode).
 */
class HdfsTest {
  private static MiniDFSCluster cluster;
  private static String root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/hdfs-" + HdfsTest.class.getSimpleName()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/anygraph";
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Test
  void checkpointsOnHdfsResumeExactly() throws IOException {
    Graph g = model();
    List<INDArray> straight;
    try (Session s = new Session(g)) {
      s.initializeAllVariables();
      steps(s, 7);
      straight = values(s);
    }
    HadoopDirectory dir = HadoopDirectory.of(root + "/ckpts");
    try (Session first = new Session(g)) {
      first.initializeAllVariables();
      steps(first, 3);
      Checkpoint.save(first, dir, 3, 2);
    }
    assertTrue(dir.fileSystem().exists(new Path(dir.path(), "ckpt-3")));
    try (Session resumed = new Session(g)) {
      assertEquals(Optional.of(3L), Checkpoint.restoreLatest(resumed, dir));
      steps(resumed, 4);
      assertEquals(straight, values(resumed));
    }
  }

  @Test
  void graphFilesRoundTripThroughHdfs() throws IOException {
    Graph g = model();
    HadoopDirectory parent = HadoopDirectory.of(root + "/graphs");
    GraphFile.save(g, parent, "model");
    Graph back = GraphFile.read(parent.child("model"));
    assertEquals(
        g.nodes().stream().map(Node::name).toList(),
        back.nodes().stream().map(Node::name).toList());
  }
}

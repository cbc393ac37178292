/**
 * Hadoop FileSystem directories for graph files and checkpoints (file://, hdfs://).
 *
 * <p>Must not: know file formats (core.io does).
 */
package io.anygraph.data.io;

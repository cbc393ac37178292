/**
 * Storage formats and file access: .npy, atomic writes, the Directory abstraction (local, in-
 * memory).
 *
 * <p>Must not: depend on Hadoop (the data module's io does).
 */
package io.anygraph.core.io;

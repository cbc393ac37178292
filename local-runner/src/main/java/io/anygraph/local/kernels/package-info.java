/**
 * One kernel per op on ND4J, registered by op name; NativeCall runs libnd4j ops through a native
 * context per call.
 *
 * <p>Must not: run libnd4j custom ops through Nd4j.exec or kept contexts (they retain arrays), or
 * read raw memory without Layouts' rule.
 */
package io.anygraph.local.kernels;

package io.anygraph.partition.device;

import io.anygraph.core.Graph;
import java.util.List;

/**
 * The part of a stage that runs on one device: a graph with only local edges, whose values from
 * other devices arrive through {@code recv} nodes and leave through {@code send} nodes. Its nodes
 * are in the order of the whole stage, so devices that wait for each other's transfers never
 * deadlock.
 *
 * @param outputs tensors to compute: the stage's fetches that live here, then the sends
 */
public record DeviceGraph(
    String device,
    Graph graph,
    List<String> outputs,
    List<Transfer> received,
    List<Transfer> sent) {}

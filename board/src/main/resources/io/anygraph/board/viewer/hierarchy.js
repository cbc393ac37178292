// The scope tree of a graph (name scopes from "a/b/c" names) and its edges: each edge is filed
// under the innermost scope holding both ends, between that scope's two children that lead
// to them, so each scope's layout only sees its own children.
'use strict';

const Hierarchy = (() => {
  const tensorNode = t => { const m = /^(.*):(\d+)$/.exec(t); return m ? m[1] : t; };
  const parentPath = name => { const cut = name.lastIndexOf('/'); return cut < 0 ? '' : name.slice(0, cut); };
  const baseName = name => name.slice(name.lastIndexOf('/') + 1);

  function build(graph) {
    const root = { id: 'g:', path: '', name: '', kind: 'scope', children: [], parent: null, depth: 0 };
    const items = new Map([[root.id, root]]);
    const scopes = new Map([['', root]]);

    function scope(path) {
      let s = scopes.get(path);
      if (!s) {
        const parent = scope(parentPath(path));
        s = { id: 'g:' + path, path, name: baseName(path), kind: 'scope', children: [], parent,
          depth: parent.depth + 1 };
        parent.children.push(s);
        scopes.set(path, s);
        items.set(s.id, s);
      }
      return s;
    }
    function add(item, parent) {
      item.parent = parent;
      item.depth = parent.depth + 1;
      parent.children.push(item);
      items.set(item.id, item);
    }

    // a node that is also a scope ("w" beside "w/Assign") goes inside it, as in TensorBoard
    const scopePaths = new Set();
    for (const n of graph.nodes) {
      for (let p = parentPath(n.name); p && !scopePaths.has(p); p = parentPath(p)) scopePaths.add(p);
    }
    for (const n of graph.nodes) {
      add({ id: 'n:' + n.name, path: n.name, name: baseName(n.name), kind: 'node', node: n },
        scope(scopePaths.has(n.name) ? n.name : parentPath(n.name)));
    }
    graph.boundaries.forEach((b, i) => {
      // a boundary sits in the scope of the node it feeds, so it collapses with it
      add({ id: 'b:' + i, path: parentPath(b.to) + '/#' + b.kind + i, name: b.kind, kind: 'boundary',
        boundary: b }, scope(parentPath(b.to)));
    });

    const edges = [];
    const covered = new Set(graph.boundaries.map(b => tensorNode(b.from) + '\u0000' + b.to));
    for (const n of graph.nodes) {
      for (const t of n.inputs) {
        const src = tensorNode(t);
        if (!covered.has(src + '\u0000' + n.name)) edges.push({ from: 'n:' + src, to: 'n:' + n.name, kind: 'data' });
      }
      for (const c of n.controlInputs) edges.push({ from: 'n:' + c, to: 'n:' + n.name, kind: 'control' });
    }
    graph.boundaries.forEach((b, i) => {
      edges.push({ from: 'n:' + tensorNode(b.from), to: 'b:' + i, kind: b.kind });
      edges.push({ from: 'b:' + i, to: 'n:' + b.to, kind: b.kind });
    });
    // a GraphDef from elsewhere may name inputs it lacks: those edges are left out
    const known = edges.filter(e => items.has(e.from) && items.has(e.to));

    countLeaves(root);
    const byScope = new Map();
    for (const e of known) {
      const [scopeId, a, b] = split(items.get(e.from), items.get(e.to));
      if (!byScope.has(scopeId)) byScope.set(scopeId, []);
      byScope.get(scopeId).push([a.id, b.id, e.kind]);
    }
    return { root, items, scopes, edges: known, scopeEdges: byScope };
  }

  function chain(item) {
    const c = [];
    for (let x = item; x; x = x.parent) c.push(x);
    return c.reverse();
  }

  // [innermost common scope, its child toward u, its child toward v]
  function split(u, v) {
    const cu = chain(u), cv = chain(v);
    let i = 0;
    while (i < cu.length && i < cv.length && cu[i] === cv[i]) i++;
    return [cu[i - 1].id, cu[i], cv[i]];
  }

  function countLeaves(s) {
    s.leaves = 0;
    s.values = { device: new Map(), stage: new Map() };
    for (const c of s.children) {
      if (c.kind === 'scope') {
        countLeaves(c);
        s.leaves += c.leaves;
        for (const key of ['device', 'stage']) {
          for (const [v, k] of c.values[key]) s.values[key].set(v, (s.values[key].get(v) || 0) + k);
        }
      } else if (c.kind === 'node') {
        s.leaves += 1;
        for (const key of ['device', 'stage']) {
          const v = c.node[key] || '';
          s.values[key].set(v, (s.values[key].get(v) || 0) + 1);
        }
      }
    }
  }

  // The item drawn for `item`: itself, or its outermost collapsed enclosing scope.
  function visible(item, expanded) {
    let rep = item;
    for (let s = item.parent; s && s.parent; s = s.parent) {
      if (!expanded.has(s.path)) rep = s;
    }
    return rep;
  }

  // Edges between drawn items, merged per pair and kind, with how many they stand for.
  function visibleEdges(h, expanded) {
    const merged = new Map();
    for (const e of h.edges) {
      const a = visible(h.items.get(e.from), expanded), b = visible(h.items.get(e.to), expanded);
      if (a === b) continue;
      const key = a.id + '\u0000' + b.id + '\u0000' + e.kind;
      const m = merged.get(key);
      if (m) m.count++; else merged.set(key, { from: a, to: b, kind: e.kind, count: 1 });
    }
    return [...merged.values()];
  }

  return { build, visible, visibleEdges, split, tensorNode, parentPath };
})();

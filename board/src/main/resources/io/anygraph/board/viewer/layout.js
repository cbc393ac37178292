// Layered layout, top to bottom, scope by scope: each expanded scope lays out its own children
// (sub-scopes first, so their sizes are known) and becomes one box of its parent's layout.
// Ranks are longest paths pulled down toward their consumers; rows are ordered by barycenter
// sweeps; x positions follow the neighbours' centres without overlapping.
'use strict';

const Layout = (() => {
  const SIZE = { nodeH: 36, scopeH: 46, boundary: 24, pad: 14, head: 26, gapX: 24, gapY: 44 };
  const measure = document.createElement('canvas').getContext('2d');

  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }

  const boundaryLabel = kind => kind.replace(/_/g, '-'); // all_reduce -> all-reduce
  const shortName = (s, max) => (s.length > max ? s.slice(0, max - 1) + '\u2026' : s);

  function leafSize(item) {
    if (item.kind === 'boundary') {
      return { w: textWidth(boundaryLabel(item.boundary.kind), '600 10px sans-serif') + 24, h: SIZE.boundary };
    }
    if (item.kind === 'scope') {
      const w = Math.max(textWidth(shortName(item.name, 28), '600 12.5px sans-serif'),
        textWidth(item.leaves + ' nodes', '10px sans-serif'));
      return { w: Math.max(86, w + 34), h: SIZE.scopeH };
    }
    const w = Math.max(textWidth(shortName(item.name, 26), '12px sans-serif'),
      textWidth(item.node.op, '10px sans-serif'));
    return { w: Math.max(56, w + 26), h: SIZE.nodeH };
  }

  // Lays out `scope`'s children; returns a tree of boxes with positions relative to the scope.
  function layoutScope(h, scope, expanded) {
    const boxes = scope.children.map(item => {
      if (item.kind === 'scope' && expanded.has(item.path)) {
        const inner = layoutScope(h, item, expanded);
        return { item, expanded: true, children: inner.boxes, routes: inner.routes,
          w: Math.max(inner.w + 2 * SIZE.pad, leafSize(item).w + 20), h: inner.h + SIZE.head + SIZE.pad };
      }
      return { item, expanded: false, ...leafSize(item) };
    });
    const size = arrange(boxes, h.scopeEdges.get(scope.id) || []);
    for (const b of boxes) {
      if (b.expanded) { // centre the contents if the title made the box wider
        const innerW = Math.max(...b.children.map(c => c.x + c.w));
        const dx = (b.w - innerW) / 2;
        for (const c of b.children) { c.x += dx; c.y += SIZE.head; }
        for (const points of b.routes.values()) for (const p of points) { p.x += dx; p.y += SIZE.head; }
      }
    }
    return { boxes, w: size.w, h: size.h, routes: size.routes };
  }

  // Positions boxes ({item, w, h}) linked by edges [[fromId, toId]]; sets x, y; returns the size.
  function arrange(boxes, edges) {
    const n = boxes.length;
    if (n === 0) return { w: 0, h: 0, routes: new Map() };
    const index = new Map(boxes.map((b, i) => [b.item.id, i]));
    const succ = boxes.map(() => new Set()), pred = boxes.map(() => new Set());
    for (const [a, b] of edges) {
      const i = index.get(a), j = index.get(b);
      if (i !== undefined && j !== undefined && i !== j) { succ[i].add(j); pred[j].add(i); }
    }
    // depth-first order; edges back onto the stack close a cycle and are left out of ranking
    const state = new Array(n).fill(0), post = [], dagSucc = boxes.map(() => []);
    const visit = i => {
      state[i] = 1;
      for (const j of succ[i]) {
        if (state[j] !== 1) dagSucc[i].push(j);
        if (state[j] === 0) visit(j);
      }
      state[i] = 2;
      post.push(i);
    };
    for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
    const topo = post.reverse();
    const rank = new Array(n).fill(0);
    for (const i of topo) for (const j of dagSucc[i]) rank[j] = Math.max(rank[j], rank[i] + 1);
    for (let k = topo.length - 1; k >= 0; k--) { // pull each node down next to its consumers
      const i = topo[k];
      if (dagSucc[i].length) rank[i] = Math.min(...dagSucc[i].map(j => rank[j])) - 1;
    }
    const rows = [];
    for (let i = 0; i < n; i++) (rows[rank[i]] = rows[rank[i]] || []).push(i); // graph order first
    const rowsUsed = rows.filter(r => r && r.length);
    rowsUsed.forEach((r, k) => r.forEach(i => { rank[i] = k; }));

    // an edge across several rows gets a thin stand-in per row it crosses, so it is routed
    // between the boxes of those rows instead of through them
    const all = boxes.slice(), chains = [];
    for (let i = 0; i < n; i++) {
      for (const j of dagSucc[i]) {
        if (rank[j] - rank[i] < 2) continue;
        let prev = i;
        const chain = [];
        for (let r = rank[i] + 1; r < rank[j]; r++) {
          const d = all.length;
          all.push({ dummy: true, w: 4, h: 0 });
          succ.push(new Set()); pred.push(new Set());
          rank[d] = r;
          rowsUsed[r].push(d);
          succ[prev].add(d); pred[d].add(prev);
          chain.push(d);
          prev = d;
        }
        succ[prev].add(j); pred[j].add(prev);
        succ[i].delete(j); pred[j].delete(i);
        chains.push({ from: boxes[i].item.id, to: boxes[j].item.id, chain });
      }
    }
    const m = all.length;
    const frac = new Array(m);
    const setFrac = () => rowsUsed.forEach(r => r.forEach((i, k) => { frac[i] = (k + 0.5) / r.length; }));
    setFrac();
    const neighbours = (i, above) => [...pred[i], ...succ[i]].filter(j => (above ? rank[j] < rank[i] : rank[j] > rank[i]));
    const sortRow = (r, above) => {
      const key = new Map(r.map(i => {
        const nb = neighbours(i, above);
        return [i, nb.length ? nb.reduce((s, j) => s + frac[j], 0) / nb.length : frac[i]];
      }));
      r.sort((a, b) => key.get(a) - key.get(b));
      r.forEach((i, k) => { frac[i] = (k + 0.5) / r.length; });
    };
    for (let it = 0; it < 6; it++) {
      for (let k = 1; k < rowsUsed.length; k++) sortRow(rowsUsed[k], true);
      for (let k = rowsUsed.length - 2; k >= 0; k--) sortRow(rowsUsed[k], false);
    }

    let y = 0;
    for (const r of rowsUsed) {
      const rowH = Math.max(...r.map(i => all[i].h));
      r.forEach(i => { all[i].y = y + (rowH - all[i].h) / 2; });
      y += rowH + SIZE.gapY;
    }
    const gap = (i, j) => (all[i].dummy || all[j].dummy ? SIZE.gapX / 2 : SIZE.gapX);
    const rowW = r => r.reduce((s, i, k) => s + all[i].w + (k ? gap(r[k - 1], i) : 0), 0);
    const widest = Math.max(...rowsUsed.map(rowW));
    for (const r of rowsUsed) {
      let x = (widest - rowW(r)) / 2;
      r.forEach((i, k) => { if (k) x += gap(r[k - 1], i); all[i].x = x; x += all[i].w; });
    }
    const centre = i => all[i].x + all[i].w / 2;
    const align = (r, above) => {
      const want = r.map(i => {
        const nb = neighbours(i, above);
        return (nb.length ? nb.reduce((s, j) => s + centre(j), 0) / nb.length : centre(i)) - all[i].w / 2;
      });
      r.forEach((i, k) => {
        const prev = k > 0 ? all[r[k - 1]].x + all[r[k - 1]].w + gap(r[k - 1], i) : -Infinity;
        all[i].x = Math.max(want[k], prev);
      });
      const drift = r.reduce((s, i, k) => s + all[i].x - want[k], 0) / r.length;
      r.forEach(i => { all[i].x -= drift; });
    };
    for (let it = 0; it < 4; it++) {
      for (let k = 1; k < rowsUsed.length; k++) align(rowsUsed[k], true);
      for (let k = rowsUsed.length - 2; k >= 0; k--) align(rowsUsed[k], false);
    }
    const minX = Math.min(...all.map(b => b.x));
    all.forEach(b => { b.x -= minX; });
    const routes = new Map(chains.map(c => [c.from + '\u0000' + c.to,
      c.chain.map(d => ({ x: all[d].x + all[d].w / 2, y: all[d].y }))]));
    return { w: Math.max(...all.map(b => b.x + b.w)), h: y - SIZE.gapY, routes };
  }

  // Every drawn box with absolute coordinates, outer scopes before what they contain, and the
  // bends of long edges keyed by scope and the two children they link.
  function layout(h, expanded) {
    const top = layoutScope(h, h.root, expanded);
    const all = [], routes = new Map();
    const addRoutes = (scope, local, dx, dy) => {
      for (const [key, points] of local) {
        routes.set(scope.id + '\u0000' + key, points.map(p => ({ x: p.x + dx, y: p.y + dy })));
      }
    };
    const walk = (boxes, dx, dy) => {
      for (const b of boxes) {
        const abs = { item: b.item, expanded: b.expanded, x: b.x + dx, y: b.y + dy, w: b.w, h: b.h };
        all.push(abs);
        if (b.expanded) {
          addRoutes(b.item, b.routes, abs.x, abs.y);
          walk(b.children, abs.x, abs.y);
        }
      }
    };
    addRoutes(h.root, top.routes, 0, 0);
    walk(top.boxes, 0, 0);
    return { boxes: all, w: top.w, h: top.h, routes };
  }

  return { layout, shortName, boundaryLabel, SIZE };
})();

// Draws a layout as SVG: expanded scopes as framed boxes with a title bar, collapsed scopes as
// boxes with a bar of their devices (or stages), nodes as pills coloured by device or stage,
// boundaries as diamonds on the edge they cut. Clicks go to the handlers the board passes in.
'use strict';

const Render = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e79a7', '#59a14f', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#8cd17d',
    '#a0cbe8', '#bab0ac', '#d4a6c8', '#86bcb6', '#f1ce63'];
  const KIND_COLOUR = {
    transfer: '#f28e2b', all_reduce: '#e15759', all_gather: '#b07aa1', pick_replica: '#76b7b2',
  };
  const NONE = { fill: '#eef1f5', stroke: '#9aa5b1' };

  function el(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, cls) {
    const t = el('text', { x, y, class: cls || '', 'text-anchor': 'middle' }, parent);
    t.textContent = s;
    return t;
  }

  // value ("cpu:0", "worker", "") -> colour, stable for a graph: values sorted, palette in turn
  function palette(values) {
    const map = new Map();
    [...values].filter(v => v).sort().forEach((v, i) => {
      const c = PALETTE[i % PALETTE.length];
      map.set(v, { fill: c + '40', stroke: c, solid: c });
    });
    return v => map.get(v) || NONE;
  }

  function colourOf(item, key, colours) {
    if (item.kind === 'node') return colours(item.node[key] || '');
    const vals = [...item.values[key].keys()];
    return vals.length === 1 ? colours(vals[0]) : { fill: 'url(#mixed)', stroke: '#829ab1' };
  }

  // A stacked bar of the values inside a collapsed scope, as TensorBoard shows devices.
  function valueBar(g, b, item, key, colours) {
    const total = item.leaves || 1;
    let x = b.x + 8;
    const w = b.w - 16;
    for (const [v, k] of [...item.values[key].entries()].sort()) {
      const part = w * k / total;
      el('rect', { x, y: b.y + b.h - 9, width: Math.max(part, 0.5), height: 4,
        fill: colours(v).solid || NONE.stroke }, g).appendChild(title(v || '(none)'));
      x += part;
    }
  }

  function title(s) {
    const t = document.createElementNS(NS, 'title');
    t.textContent = s;
    return t;
  }

  // From a's bottom to b's top through the bends the layout left for it, leaving and entering
  // each point vertically; an edge going up runs from a's top to b's bottom.
  function edgePath(a, b, bends) {
    const down = b.y >= a.y + a.h || bends.length > 0;
    const pts = [{ x: a.x + a.w / 2, y: down ? a.y + a.h : a.y }, ...bends,
      { x: b.x + b.w / 2, y: down ? b.y : b.y + b.h }];
    let d = `M ${pts[0].x} ${pts[0].y}`;
    for (let i = 1; i < pts.length; i++) {
      const p = pts[i - 1], q = pts[i];
      const dy = Math.max(14, Math.abs(q.y - p.y) / 2) * (q.y >= p.y ? 1 : -1);
      d += ` C ${p.x} ${p.y + dy}, ${q.x} ${q.y - dy}, ${q.x} ${q.y}`;
    }
    return d;
  }

  // Draws everything into `root` (a <g>); returns the boxes by item id.
  function draw(root, layout, edges, opts) {
    root.textContent = '';
    const key = opts.colourBy;
    const colours = opts.colours;
    const byId = new Map(layout.boxes.map(b => [b.item.id, b]));
    const scopesLayer = el('g', { class: 'scopes' }, root);
    const edgeLayer = el('g', { class: 'edges' }, root);
    const itemLayer = el('g', { class: 'items' }, root);

    for (const b of layout.boxes) {
      const item = b.item;
      if (item.kind === 'scope' && b.expanded) {
        const g = el('g', { class: 'scope expanded', 'data-name': item.path }, scopesLayer);
        el('rect', { class: 'scope-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 8 }, g);
        const head = el('rect', { class: 'scope-head', x: b.x, y: b.y, width: b.w,
          height: Layout.SIZE.head - 4, rx: 8 }, g);
        head.appendChild(title(item.path + ' \u2014 click to collapse'));
        head.addEventListener('click', ev => { ev.stopPropagation(); opts.onToggle(item); });
        const t = text(g, b.x + 12, b.y + 16, '\u25be ' + item.name, 'scope-title');
        t.setAttribute('text-anchor', 'start');
      } else if (item.kind === 'scope') {
        const g = el('g', { class: 'scope collapsed', 'data-name': item.path }, itemLayer);
        const c = colourOf(item, key, colours);
        el('rect', { class: 'body', x: b.x, y: b.y, width: b.w, height: b.h, rx: 9,
          fill: c.fill, stroke: c.stroke }, g);
        text(g, b.x + b.w / 2, b.y + 18, '\u25b8 ' + Layout.shortName(item.name, 28), 'name');
        text(g, b.x + b.w / 2, b.y + 31, item.leaves + (item.leaves === 1 ? ' node' : ' nodes'), 'sub');
        valueBar(g, b, item, key, colours);
        g.appendChild(title(item.path + ' (' + item.leaves + ' nodes) \u2014 click to expand'));
        g.addEventListener('click', ev => { ev.stopPropagation(); opts.onToggle(item); });
      } else if (item.kind === 'node') {
        const n = item.node;
        const g = el('g', { class: 'node', 'data-name': n.name, 'data-op': n.op }, itemLayer);
        const c = colourOf(item, key, colours);
        el('rect', { class: 'body', x: b.x, y: b.y, width: b.w, height: b.h, rx: b.h / 2,
          fill: c.fill, stroke: c.stroke }, g);
        text(g, b.x + b.w / 2, b.y + 16, Layout.shortName(item.name, 26), 'name');
        text(g, b.x + b.w / 2, b.y + 28, n.op, 'sub');
        g.appendChild(title(n.name + '\n' + n.op + (n.outputs.length ? ' \u2192 ' + n.outputs.join(', ') : '')
          + (n.device ? '\ndevice ' + n.device : '') + (n.stage ? '\nstage ' + n.stage : '')));
        g.addEventListener('click', ev => { ev.stopPropagation(); opts.onSelect(item); });
      } else {
        const bd = item.boundary;
        const g = el('g', { class: 'boundary', 'data-kind': bd.kind, 'data-from': bd.from,
          'data-to': bd.to }, itemLayer);
        // a hexagon, pointed at both ends: the value crosses here
        const cy = b.y + b.h / 2, t = b.h / 2, x0 = b.x, x1 = b.x + b.w;
        el('polygon', { points: `${x0},${cy} ${x0 + t},${b.y} ${x1 - t},${b.y} ${x1},${cy} ${x1 - t},${b.y + b.h} ${x0 + t},${b.y + b.h}`,
          fill: KIND_COLOUR[bd.kind] + '40', stroke: KIND_COLOUR[bd.kind] }, g);
        text(g, b.x + b.w / 2, cy + 3.5, Layout.boundaryLabel(bd.kind));
        g.appendChild(title(bd.kind + ' ' + bd.from + ' \u2192 ' + bd.to + (bd.label ? '\n' + bd.label : '')));
        g.addEventListener('click', ev => { ev.stopPropagation(); opts.onSelect(item); });
      }
    }
    for (const e of edges) {
      const a = byId.get(e.from.id), b = byId.get(e.to.id);
      if (!a || !b) continue;
      const [scopeId, ca, cb] = Hierarchy.split(e.from, e.to);
      const bends = layout.routes.get(scopeId + '\u0000' + ca.id + '\u0000' + cb.id) || [];
      const p = el('path', { class: 'edge ' + e.kind, d: edgePath(a, b, bends) }, edgeLayer);
      if (e.count > 1) p.setAttribute('stroke-width', Math.min(1.2 + Math.log2(e.count), 5));
      p.appendChild(title(e.from.path + ' \u2192 ' + e.to.path + (e.count > 1 ? ' (' + e.count + ' edges)' : '')));
    }
    return byId;
  }

  return { draw, palette, KIND_COLOUR, NONE };
})();

// The board: picks a run, draws its graph (scopes collapsed until clicked) and its scalar
// charts, and handles panning, zooming, search and the info card. Data comes from the page
// itself (an offline file) or from the server's /api.
'use strict';

window.__boardErrors = [];
window.addEventListener('error', e => window.__boardErrors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.__boardErrors.push(String(e.reason)));

const Board = (() => {
  const $ = id => document.getElementById(id);
  const state = { src: null, run: null, h: null, expanded: new Set(), colourBy: 'device',
    view: { x: 0, y: 0, k: 1 }, boxes: new Map(), layout: null, selected: null, dragged: false,
    searchAt: -1 };

  function dataSource() {
    const text = $('board-data').textContent.trim();
    const data = text && text !== 'null' ? JSON.parse(text) : null;
    if (data) return { offline: true, runs: async () => data, run: async name => data.data[name] };
    const get = async url => {
      const r = await fetch(url);
      const j = await r.json();
      if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
      return j;
    };
    return { offline: false, runs: () => get('api/runs'),
      run: name => get('api/run?name=' + encodeURIComponent(name)) };
  }

  async function loadRuns(keep) {
    const info = await state.src.runs();
    $('logdir').textContent = info.logdir;
    $('logdir').title = info.logdir;
    const select = $('run');
    const previous = select.value;
    select.textContent = '';
    for (const name of info.runs) {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name === '.' ? '(logdir)' : name;
      select.appendChild(o);
    }
    if (!info.runs.length) {
      showEmpty('No event files in ' + info.logdir + ' yet. Write some with SummaryWriter, '
        + 'e.g. bin/anygraph tutorial --logdir DIR; then press Reload.');
      $('charts').innerHTML = '<div class="no-data">No runs yet.</div>';
      return;
    }
    select.value = keep && info.runs.includes(previous) ? previous : info.runs[0];
    await showRun(select.value, keep);
  }

  function showEmpty(message) {
    $('viewport').textContent = '';
    $('empty').textContent = message;
    $('empty').hidden = !message;
  }

  async function showRun(name, keep) {
    const run = await state.src.run(name);
    state.run = run;
    const problems = $('problems');
    const notes = run.problems.concat(run.incomplete || []);
    problems.hidden = !notes.length;
    problems.textContent = notes.join(' \u2022 ');
    Charts.drawAll($('charts'), run.scalars);
    if (!run.graph) {
      state.h = null;
      showEmpty('This run has no graph, only scalars (see the Scalars tab).');
    } else {
      showEmpty('');
      state.h = Hierarchy.build(run.graph);
      if (!keep) {
        state.expanded = new Set();
        state.selected = null;
        $('info').hidden = true;
      }
      redraw();
      if (!keep) fit();
    }
    document.body.dataset.ready = 'true';
  }

  function redraw() {
    const h = state.h;
    const colours = Render.palette(h.root.values[state.colourBy].keys());
    state.layout = Layout.layout(h, state.expanded);
    state.boxes = Render.draw($('viewport'), state.layout, Hierarchy.visibleEdges(h, state.expanded),
      { colourBy: state.colourBy, colours, onToggle: toggle, onSelect: select });
    legend(colours);
    markSelected();
  }

  function legend(colours) {
    const box = $('legend');
    box.textContent = '';
    const add = (label, c) => {
      const s = document.createElement('span');
      s.innerHTML = '<span class="swatch"></span>';
      s.firstChild.style.background = c.fill;
      s.firstChild.style.borderColor = c.stroke;
      s.appendChild(document.createTextNode(label));
      box.appendChild(s);
    };
    for (const v of [...state.h.root.values[state.colourBy].keys()].sort()) {
      add(v || 'no ' + state.colourBy, colours(v));
    }
    const kinds = new Set(state.run.graph.boundaries.map(b => b.kind));
    for (const k of kinds) add(Layout.boundaryLabel(k), { fill: Render.KIND_COLOUR[k] + '55', stroke: Render.KIND_COLOUR[k] });
  }

  function toggle(item) {
    if (state.dragged) return;
    const before = state.boxes.get(item.id);
    if (state.expanded.has(item.path)) state.expanded.delete(item.path); else state.expanded.add(item.path);
    redraw();
    const after = state.boxes.get(item.id);
    if (before && after) { // keep the clicked scope where it was on screen
      state.view.x += (before.x - after.x) * state.view.k;
      state.view.y += (before.y - after.y) * state.view.k;
      if (state.expanded.has(item.path)) reveal(after);
      applyView();
    }
  }

  // Pans, and zooms out if needed (not below a readable scale), so an opened scope is in view.
  function reveal(box) {
    const r = $('graph').getBoundingClientRect(), v = state.view, m = 16;
    const k = Math.max(Math.min(v.k, (r.width - 2 * m) / box.w, (r.height - 2 * m) / box.h), 0.35);
    const sx = box.x * k + v.x + (box.x + box.w / 2) * (v.k - k); // keep the box's centre put
    const sy = box.y * k + v.y + (box.y + box.h / 2) * (v.k - k);
    let x = v.x + (box.x + box.w / 2) * (v.k - k), y = v.y + (box.y + box.h / 2) * (v.k - k);
    const w = box.w * k, h = box.h * k;
    if (w <= r.width - 2 * m) x += Math.min(0, r.width - m - (sx + w)) + Math.max(0, m - sx);
    else x += m - sx;
    if (h <= r.height - 2 * m) y += Math.min(0, r.height - m - (sy + h)) + Math.max(0, m - sy);
    else y += m - sy;
    state.view = { x, y, k };
  }

  function select(item) {
    if (state.dragged) return;
    state.selected = item.id;
    markSelected();
    const info = $('info');
    info.hidden = false;
    info.textContent = '';
    const close = document.createElement('button');
    close.className = 'close';
    close.textContent = '\u00d7';
    close.onclick = () => { info.hidden = true; state.selected = null; markSelected(); };
    info.appendChild(close);
    const h3 = document.createElement('h3');
    const op = document.createElement('div');
    op.className = 'op';
    const rows = [];
    if (item.kind === 'node') {
      const n = item.node;
      h3.textContent = n.name;
      op.textContent = n.op;
      rows.push(['outputs', n.outputs.join(', ')], ['device', n.device || '\u2014'],
        ['stage', n.stage || '\u2014'], ['inputs', n.inputs.join(', ') || '\u2014']);
      if (n.controlInputs.length) rows.push(['after', n.controlInputs.join(', ')]);
      for (const [k, v] of Object.entries(n.attrs)) rows.push([k, v]);
    } else {
      const b = item.boundary;
      h3.textContent = Layout.boundaryLabel(b.kind);
      op.textContent = 'boundary';
      rows.push(['from', b.from], ['to', b.to], ['what', b.label || '\u2014']);
    }
    info.append(h3, op);
    const table = document.createElement('table');
    for (const [k, v] of rows) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = v;
    }
    info.appendChild(table);
  }

  function markSelected() {
    for (const e of document.querySelectorAll('#viewport .selected')) e.classList.remove('selected');
    if (!state.selected || !state.h) return;
    const item = state.h.items.get(state.selected);
    const sel = item.kind === 'node' ? `.node[data-name="${CSS.escape(item.node.name)}"]` : null;
    const e = sel && document.querySelector('#viewport ' + sel);
    if (e) e.classList.add('selected');
  }

  function applyView() {
    const v = state.view;
    $('viewport').setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
  }

  function fit() {
    const r = $('graph').getBoundingClientRect(), l = state.layout;
    if (!l || !l.w) return;
    const k = Math.min(1, (r.width - 48) / l.w, (r.height - 48) / l.h);
    state.view = { k, x: (r.width - l.w * k) / 2, y: Math.max(24, (r.height - l.h * k) / 2) };
    applyView();
  }

  function centreOn(box) {
    const r = $('graph').getBoundingClientRect(), v = state.view;
    v.k = Math.max(v.k, 0.8);
    v.x = r.width / 2 - (box.x + box.w / 2) * v.k;
    v.y = r.height / 2 - (box.y + box.h / 2) * v.k;
    applyView();
  }

  function search(query) {
    const q = query.trim().toLowerCase();
    if (!q || !state.h) return;
    const matches = state.run.graph.nodes.filter(n => n.name.toLowerCase().includes(q));
    $('search').style.borderColor = matches.length ? '' : '#e12d39';
    if (!matches.length) return;
    state.searchAt = (state.searchAt + 1) % matches.length;
    const item = state.h.items.get('n:' + matches[state.searchAt].name);
    for (let s = item.parent; s && s.parent; s = s.parent) state.expanded.add(s.path);
    redraw();
    select(item);
    centreOn(state.boxes.get(item.id));
  }

  function panAndZoom() {
    const svg = $('graph');
    let start = null;
    svg.addEventListener('mousedown', e => {
      start = { x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y };
      state.dragged = false;
    });
    window.addEventListener('mousemove', e => {
      if (!start) return;
      const dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) { state.dragged = true; svg.classList.add('panning'); }
      if (state.dragged) { state.view.x = start.vx + dx; state.view.y = start.vy + dy; applyView(); }
    });
    window.addEventListener('mouseup', () => {
      start = null;
      svg.classList.remove('panning');
      setTimeout(() => { state.dragged = false; }, 0);
    });
    svg.addEventListener('wheel', e => {
      e.preventDefault();
      const r = svg.getBoundingClientRect(), v = state.view;
      const k = Math.min(3, Math.max(0.05, v.k * Math.exp(-e.deltaY * 0.0015)));
      const px = e.clientX - r.left, py = e.clientY - r.top;
      v.x = px - (px - v.x) * k / v.k;
      v.y = py - (py - v.y) * k / v.k;
      v.k = k;
      applyView();
    }, { passive: false });
  }

  async function start() {
    state.src = dataSource();
    if (state.src.offline) $('reload').hidden = true;
    for (const tab of document.querySelectorAll('button.tab')) {
      tab.onclick = () => {
        for (const t of document.querySelectorAll('button.tab')) t.classList.toggle('active', t === tab);
        $('graph-tab').hidden = tab.dataset.tab !== 'graph';
        $('scalars-tab').hidden = tab.dataset.tab !== 'scalars';
      };
    }
    $('run').onchange = () => showRun($('run').value, false);
    $('reload').onclick = () => loadRuns(true);
    $('colour').onchange = () => { state.colourBy = $('colour').value; if (state.h) redraw(); };
    $('fit').onclick = fit;
    $('collapse').onclick = () => { state.expanded = new Set(); if (state.h) { redraw(); fit(); } };
    $('expand').onclick = () => {
      if (!state.h) return;
      state.expanded = new Set([...state.h.scopes.keys()].filter(p => p));
      redraw();
      fit();
    };
    $('search').addEventListener('keydown', e => { if (e.key === 'Enter') search(e.target.value); });
    $('search').addEventListener('input', () => { state.searchAt = -1; });
    panAndZoom();
    try {
      await loadRuns(false);
    } catch (e) {
      showEmpty('Could not read the logdir: ' + e.message);
      document.body.dataset.ready = 'true';
    }
  }

  document.addEventListener('DOMContentLoaded', start);
  return { state };
})();

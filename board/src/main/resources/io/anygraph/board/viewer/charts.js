// Line charts of scalar summaries: one per tag, value against step, with round-number ticks and
// a readout of the nearest point under the pointer.
'use strict';

const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 460, H = 220, M = { left: 52, right: 14, top: 10, bottom: 28 };

  function el(tag, attrs, parent) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    parent.appendChild(e);
    return e;
  }

  // About `count` round ticks (1, 2 or 5 times a power of ten) covering [lo, hi].
  function ticks(lo, hi, count) {
    if (hi === lo) { hi = lo + 1; lo = lo - 1; }
    const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  const fmt = v => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2)
    : +v.toPrecision(4) + '');

  function chart(container, tag, points) {
    const box = document.createElement('div');
    box.className = 'chart';
    box.dataset.tag = tag;
    const h = document.createElement('h4');
    const last = points[points.length - 1];
    h.innerHTML = '<span class="last"></span>';
    h.querySelector('.last').textContent = 'step ' + last[0] + ': ' + fmt(last[1]);
    h.insertBefore(document.createTextNode(tag), h.firstChild);
    box.appendChild(h);
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    box.appendChild(svg);
    container.appendChild(box);

    const steps = points.map(p => p[0]), values = points.map(p => p[1]);
    let vlo = Math.min(...values), vhi = Math.max(...values);
    const pad = (vhi - vlo) * 0.06 || Math.abs(vhi) * 0.1 || 1;
    vlo -= pad; vhi += pad;
    const slo = Math.min(...steps), shi = Math.max(...steps) === slo ? slo + 1 : Math.max(...steps);
    const x = s => M.left + (s - slo) / (shi - slo) * (W - M.left - M.right);
    const y = v => H - M.bottom - (v - vlo) / (vhi - vlo) * (H - M.top - M.bottom);

    for (const v of ticks(vlo, vhi, 5)) {
      if (v < vlo || v > vhi) continue;
      el('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }, svg);
      el('text', { class: 'tick', x: M.left - 6, y: y(v) + 3, 'text-anchor': 'end' }, svg).textContent = fmt(v);
    }
    for (const s of ticks(slo, shi, 6)) {
      if (s < slo || s > shi) continue;
      el('text', { class: 'tick', x: x(s), y: H - M.bottom + 16, 'text-anchor': 'middle' }, svg).textContent = fmt(s);
    }
    el('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }, svg);
    el('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }, svg);
    el('polyline', { class: 'line', points: points.map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ') }, svg);

    const guide = el('line', { class: 'hover-line', y1: M.top, y2: H - M.bottom, visibility: 'hidden' }, svg);
    const dot = el('circle', { class: 'hover-dot', r: 3.5, visibility: 'hidden' }, svg);
    const label = el('text', { class: 'hover-text', y: M.top + 12, visibility: 'hidden' }, svg);
    svg.addEventListener('mousemove', ev => {
      const r = svg.getBoundingClientRect();
      const sx = (ev.clientX - r.left) / r.width * W;
      let best = 0;
      points.forEach((p, i) => { if (Math.abs(x(p[0]) - sx) < Math.abs(x(points[best][0]) - sx)) best = i; });
      const p = points[best];
      for (const e of [guide, dot, label]) e.setAttribute('visibility', 'visible');
      guide.setAttribute('x1', x(p[0])); guide.setAttribute('x2', x(p[0]));
      dot.setAttribute('cx', x(p[0])); dot.setAttribute('cy', y(p[1]));
      const right = x(p[0]) > W / 2;
      label.setAttribute('x', x(p[0]) + (right ? -8 : 8));
      label.setAttribute('text-anchor', right ? 'end' : 'start');
      label.textContent = 'step ' + p[0] + ': ' + fmt(p[1]);
    });
    svg.addEventListener('mouseleave', () => {
      for (const e of [guide, dot, label]) e.setAttribute('visibility', 'hidden');
    });
  }

  function drawAll(container, scalars) {
    container.textContent = '';
    const tags = Object.keys(scalars).sort();
    if (!tags.length) {
      container.innerHTML = '<div class="no-data">No scalar summaries in this run.</div>';
      return;
    }
    for (const tag of tags) if (scalars[tag].length) chart(container, tag, scalars[tag]);
  }

  return { drawAll, ticks };
})();

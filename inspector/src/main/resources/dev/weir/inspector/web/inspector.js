// Weir inspector: polls the inspector's JSON once a second and draws it. No library; every text from the topics
// goes into the page as text (textContent), never as HTML.
'use strict';

const API = 'api/';
const POLL_MS = 1000;
const SVG = 'http://www.w3.org/2000/svg';
const selected = { video: null, audio: null, text: null };
const drawn = { decoded: null, source: null };
let lastOverview = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

const fmt = {
  int: (v) => v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'),
  dec: (d) => (v) => v === null || v === undefined ? '–' : v.toFixed(d),
  pct: (v) => v === null || v === undefined ? '–' : (100 * v).toFixed(1) + '%',
  ago: (ms) => ms < 0 ? '–' : ms < 1500 ? 'now' : ms < 90000 ? Math.round(ms / 1000) + ' s' : Math.round(ms / 60000) + ' min',
};

async function getJson(path) {
  const r = await fetch(API + path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

function streamPath(id) {
  return 'stream/' + encodeURIComponent(id);
}

// ---- the stream list -----------------------------------------------------------------------------------------

const COLUMNS = [
  // [field, value of a row, format, class]
  ['events', (s) => s.batches, fmt.int],
  ['decoded', (s) => s.decoded, fmt.int],
  ['eventsPerSecond', (s) => s.window.eventsPerSecond, fmt.dec(1)],
  ['tokensFullPerSecond', (s) => s.window.tokensFullPerSecond, fmt.int],
  ['tokensEmittedPerSecond', (s) => s.window.tokensEmittedPerSecond, fmt.int],
  ['ratio', (s) => s.window.ratio, fmt.dec(3)],
  ['cacheHitShare', (s) => s.window.cacheHitShare, fmt.pct],
  ['prunedShare', (s) => s.window.prunedShare, fmt.pct],
  ['deadLetters', (s) => s.deadLetters, fmt.int],
  ['encodeMs', (s) => s.window.encodeMs, fmt.dec(2)],
];

function renderStreams(o) {
  $('app').textContent = 'application ' + o.applicationId;
  $('reading').textContent = 'reading ' + o.recordsPerSecond.toFixed(1) + ' records/s · ' + o.records.toLocaleString('en-US')
    + ' read' + (o.unreadable ? ' · ' + o.unreadable + ' unreadable' : '') + (o.inputsRead ? ' · inputs read' : '');
  $('window-size').textContent = o.window;
  const body = $('stream-rows');
  $('no-streams').style.display = o.streams.length ? 'none' : '';
  const layout = o.streams.map((s) => s.modality + '/' + s.id).join('\n');
  if (body.dataset.layout === layout) {
    // the same streams in the same order: change the cells in place (a selection or a hover survives)
    for (const s of o.streams) {
      const tr = body.querySelector('tr.stream[data-stream="' + CSS.escape(s.id) + '"]');
      fillRow(tr, s, o);
    }
    selectDefaults(o);
    return;
  }
  body.dataset.layout = layout;
  clear(body);
  let group = null;
  for (const s of o.streams) {
    if (s.modality !== group) {
      group = s.modality;
      const g = el('tr', { class: 'group', 'data-modality': group });
      g.appendChild(el('th', { colspan: COLUMNS.length + 3 }, group));
      body.appendChild(g);
    }
    const tr = el('tr', { class: 'stream', 'data-stream': s.id, 'data-modality': s.modality });
    tr.appendChild(el('td', { 'data-field': 'id' }, s.id));
    for (const [field] of COLUMNS) tr.appendChild(el('td', { 'data-field': field }));
    tr.appendChild(el('td', { class: 'backend', 'data-field': 'backend' }));
    tr.appendChild(el('td', { 'data-field': 'last' }));
    tr.addEventListener('click', () => select(s.modality, s.id));
    fillRow(tr, s, o);
    body.appendChild(tr);
  }
  selectDefaults(o);
}

function fillRow(tr, s, o) {
  for (const [field, value, format] of COLUMNS) {
    const td = tr.querySelector('td[data-field="' + field + '"]');
    const v = value(s);
    const text = format(v), raw = v === null || v === undefined ? '' : String(v);
    if (td.textContent !== text) td.textContent = text;
    if (td.dataset.value !== raw) td.dataset.value = raw;
    td.classList.toggle('bad', field === 'deadLetters' && v > 0);
  }
  const backend = tr.querySelector('td[data-field="backend"]');
  if (backend.textContent !== (s.backend || '–')) backend.textContent = s.backend || '–';
  const last = s.lastReadMillis ? fmt.ago(o.now - s.lastReadMillis) : '–';
  const lastCell = tr.querySelector('td[data-field="last"]');
  if (lastCell.textContent !== last) lastCell.textContent = last;
}

/** Keeps each panel on a stream of its modality: the first one listed unless one was chosen. */
function selectDefaults(o) {
  for (const modality of Object.keys(selected)) {
    const ids = o.streams.filter((s) => s.modality === modality && s.batches > 0).map((s) => s.id);
    if (!ids.includes(selected[modality])) selected[modality] = ids.length ? ids[0] : null;
  }
  for (const tr of document.querySelectorAll('#stream-rows tr.stream')) {
    tr.classList.toggle('selected', selected[tr.dataset.modality] === tr.dataset.stream);
  }
}

function select(modality, id) {
  selected[modality] = id;
  if (modality === 'video') { drawn.decoded = null; drawn.source = null; }
  refresh();
}

// ---- video ---------------------------------------------------------------------------------------------------

function drawPicture(canvasId, url, key, which) {
  if (drawn[which] === key) return;
  const img = new Image();
  img.onload = () => {
    const c = $(canvasId);
    if (c.width !== img.width || c.height !== img.height) { c.width = img.width; c.height = img.height; }
    c.getContext('2d').drawImage(img, 0, 0);
    c.dataset.seq = key.split('@')[1];
    drawn[which] = key;
  };
  img.src = url;
}

function renderVideo(d) {
  const v = d.view;
  const panel = $('video-panel');
  panel.querySelector('.stream-name').textContent = d.summary.id;
  const base = API + streamPath(d.summary.id);
  if (v.frameSeq >= 0) {
    drawPicture('video-decoded', base + '/frame.png?track=decoded&seq=' + v.frameSeq, d.summary.id + '@' + v.frameSeq, 'decoded');
    $('decoded-seq').textContent = 'seq ' + v.frameSeq;
  }
  $('source-figure').style.display = v.inputsRead ? '' : 'none';
  if (v.inputsRead && v.sourceSeq >= 0) {
    drawPicture('video-source', base + '/frame.png?track=source&seq=' + v.sourceSeq, d.summary.id + '@' + v.sourceSeq, 'source');
    $('source-seq').textContent = 'seq ' + v.sourceSeq;
  }
  renderOverlay(v);
  renderVideoPlot(v.series);
}

function renderOverlay(v) {
  const o = $('video-overlay');
  const f = v.fates;
  const key = f ? v.frameSeq + ':' + f.cols + 'x' + f.rows + ':' + f.fates : 'none';
  if (o.dataset.key === key) return;
  o.dataset.key = key;
  clear(o);
  if (!f) { o.dataset.cells = '0'; return; }
  const p = v.patchSize;
  o.setAttribute('viewBox', '0 0 ' + (v.width / p) + ' ' + (v.height / p));
  o.setAttribute('preserveAspectRatio', 'none');
  for (let i = 0; i < f.fates.length; i++) {
    const x = i % f.cols, y = Math.floor(i / f.cols);
    o.appendChild(svg('rect', { x, y, width: 1, height: 1, class: 'cell fate-' + f.fates[i] }));
  }
  o.dataset.cols = f.cols;
  o.dataset.rows = f.rows;
  o.dataset.cells = f.fates.length;
  o.dataset.seq = v.frameSeq;
  $('count-k').textContent = v.counts.keyframe;
  $('count-s').textContent = v.counts.sent;
  $('count-r').textContent = v.counts.reused;
  $('count-p').textContent = v.counts.pruned;
}

function renderVideoPlot(series) {
  const plot = $('video-plot');
  const key = series.map((p) => p.seq + ':' + p.emitted + ':' + p.psnr).join(',');
  if (plot.dataset.key === key) return;
  plot.dataset.key = key;
  clear(plot);
  const W = 640, H = 180, L = 34, R = 30, T = 8, B = 18;
  plot.dataset.points = series.length;
  if (!series.length) return;
  const maxTokens = Math.max(1, ...series.map((p) => p.full));
  const psnrs = series.filter((p) => p.psnr !== null).map((p) => p.psnr);
  const psnrLo = psnrs.length ? Math.floor(Math.min(...psnrs) - 1) : 0, psnrHi = psnrs.length ? Math.ceil(Math.max(...psnrs) + 1) : 1;
  const x = (i) => L + (series.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (series.length - 1));
  const y = (t) => T + (H - T - B) * (1 - t / maxTokens);
  const yp = (db) => T + (H - T - B) * (1 - (db - psnrLo) / (psnrHi - psnrLo));
  for (const frac of [0, 0.5, 1]) {
    const gy = T + (H - T - B) * (1 - frac);
    plot.appendChild(svg('line', { x1: L, x2: W - R, y1: gy, y2: gy, class: 'grid' }));
    const label = svg('text', { x: 2, y: gy + 3, class: 'axis' });
    label.textContent = Math.round(maxTokens * frac);
    plot.appendChild(label);
    if (psnrs.length) {
      const pl = svg('text', { x: W - R + 3, y: gy + 3, class: 'axis' });
      pl.textContent = (psnrLo + (psnrHi - psnrLo) * frac).toFixed(0);
      plot.appendChild(pl);
    }
  }
  const path = (get, yf) => series.map((p, i) => [p, i]).filter(([p]) => get(p) !== null)
    .map(([p, i], k) => (k ? 'L' : 'M') + x(i).toFixed(1) + ' ' + yf(get(p)).toFixed(1)).join(' ');
  plot.appendChild(svg('path', { d: path((p) => p.full, y), class: 'full' }));
  const emitted = svg('path', { d: path((p) => p.emitted, y), class: 'emitted' });
  plot.appendChild(emitted);
  if (psnrs.length) plot.appendChild(svg('path', { d: path((p) => p.psnr, yp), class: 'psnr', 'data-points': psnrs.length }));
  series.forEach((p, i) => { if (p.keyframe) plot.appendChild(svg('circle', { cx: x(i), cy: y(p.emitted), r: 3, class: 'keyframe' })); });
  const first = svg('text', { x: L, y: H - 4, class: 'axis' });
  first.textContent = 'seq ' + series[0].seq;
  const last = svg('text', { x: W - R - 50, y: H - 4, class: 'axis' });
  last.textContent = 'seq ' + series[series.length - 1].seq;
  plot.appendChild(first);
  plot.appendChild(last);
}

// ---- audio ---------------------------------------------------------------------------------------------------

function drawWave(canvas, w) {
  const ctx = canvas.getContext('2d');
  const W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = '#ddd';
  ctx.beginPath(); ctx.moveTo(0, H / 2); ctx.lineTo(W, H / 2); ctx.stroke();
  canvas.dataset.columns = w ? w.min.length : 0;
  if (!w) return;
  ctx.fillStyle = '#4e79a7';
  const n = w.min.length;
  for (let i = 0; i < n; i++) {
    const x0 = Math.floor(i * W / n), x1 = Math.max(x0 + 1, Math.floor((i + 1) * W / n));
    const top = H / 2 - w.max[i] * H / 2, bottom = H / 2 - w.min[i] * H / 2;
    ctx.fillRect(x0, top, x1 - x0, Math.max(1, bottom - top));
  }
}

// The track's spectrogram, computed by the inspector (time to the right, frequency upwards, louder brighter).
function showSpectrogram(img, id, track, held, key) {
  img.parentElement.style.display = held ? '' : 'none';
  if (held) img.src = API + streamPath(id) + '/spectrogram.png?track=' + track + '&v=' + encodeURIComponent(key);
}

function renderAudio(d) {
  const a = d.view;
  $('audio-panel').querySelector('.stream-name').textContent = d.summary.id;
  const key = d.summary.id + ':' + a.start + ':' + a.end + ':' + a.frames.length + ':' + (a.original ? 1 : 0) + (a.decoded ? 1 : 0);
  const panel = $('audio-panel');
  if (panel.dataset.key === key) return;
  panel.dataset.key = key;
  drawWave($('audio-original'), a.original);
  drawWave($('audio-decoded'), a.decoded);
  $('audio-original').parentElement.style.display = a.inputsRead ? '' : 'none';
  showSpectrogram($('audio-original-spectrogram'), d.summary.id, 'original', a.inputsRead && a.original, key);
  showSpectrogram($('audio-decoded-spectrogram'), d.summary.id, 'decoded', a.decoded, key);
  $('play-original').style.display = a.inputsRead ? '' : 'none';
  $('play-original').disabled = !a.original;
  $('play-decoded').disabled = !a.decoded;
  $('audio-span').textContent = a.end > a.start ? a.start.toFixed(2) + '–' + a.end.toFixed(2) + ' s' : '';
  const strip = $('audio-frames');
  clear(strip);
  strip.dataset.frames = a.frames.length;
  if (a.end <= a.start || !a.sampleRate) return;
  const W = 640, H = 40, seconds = a.end - a.start, frameSeconds = a.hopSamples / a.sampleRate;
  for (const f of a.frames) {
    const x = ((f.frame - 0.5) * frameSeconds - a.start) / seconds * W;
    const w = Math.max(0.5, frameSeconds / seconds * W - 0.3);
    const g = svg('g', { class: 'frame', 'data-frame': f.frame });
    if (f.silent) {
      g.appendChild(svg('rect', { x, y: 0, width: w, height: H, class: 'fate-silent' }));
    } else {
      const total = Math.max(1, f.sent + f.reused + f.pruned);
      let y0 = 0;
      for (const [n, cls] of [[f.sent, 'fate-s'], [f.reused, 'fate-r'], [f.pruned, 'fate-p']]) {
        if (!n) continue;
        const h = n / total * H;
        g.appendChild(svg('rect', { x, y: y0, width: w, height: h, class: cls }));
        y0 += h;
      }
    }
    strip.appendChild(g);
  }
}

function play(track) {
  const id = selected.audio;
  if (!id) return;
  const player = $('audio-player');
  player.src = API + streamPath(id) + '/audio.wav?track=' + track + '&t=' + Date.now();
  player.play().catch(() => {});
}

// ---- text ----------------------------------------------------------------------------------------------------

function renderText(d) {
  const t = d.view;
  $('text-panel').querySelector('.stream-name').textContent = d.summary.id;
  $('text-saved').textContent = t.tokensSaved.toLocaleString('en-US');
  $('text-full').textContent = t.tokensFull.toLocaleString('en-US');
  $('text-literal').textContent = t.literal;
  $('text-cached').textContent = t.cached;
  $('text-templated').textContent = t.templated;
  const box = $('text-messages');
  const key = d.summary.id + ':' + (t.messages.length ? t.messages[0].seq : -1) + ':' + t.messages.length + ':' + t.templates.length
    + ':' + t.templates.map((x) => x.uses).join(',');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  clear(box);
  for (const m of t.messages) {
    const row = el('div', { class: 'msg', 'data-seq': m.seq, 'data-kind': m.kind });
    row.appendChild(el('span', { class: 'seq' }, m.seq));
    row.appendChild(el('span', { class: 'kind', title: m.sent + ' of ' + m.full + ' ids sent' },
      m.kind.toLowerCase() + (m.template >= 0 ? ' #' + m.template : '') + (m.pruned ? ' pruned' : '')));
    const body = el('span', { class: 'body' });
    for (const s of m.spans) body.appendChild(el('span', { class: 'span-' + s.fate }, s.text));
    row.appendChild(body);
    box.appendChild(row);
  }
  const tbody = $('text-templates').querySelector('tbody');
  clear(tbody);
  for (const tpl of t.templates) {
    const tr = el('tr', { 'data-template': tpl.id });
    tr.appendChild(el('td', {}, '#' + tpl.id));
    const pattern = el('td', { class: 'pattern' });
    for (const w of tpl.words) {
      if (w.variable) {
        const lead = w.text.match(/^[ \t]*/)[0];
        pattern.appendChild(document.createTextNode(lead));
        pattern.appendChild(el('span', { class: 'var' }, '<*>'));
        pattern.appendChild(el('span', { class: 'var-value' }, '(' + w.text.substring(lead.length) + ')'));
      } else {
        pattern.appendChild(document.createTextNode(w.text));
      }
    }
    tr.appendChild(pattern);
    tr.appendChild(el('td', {}, tpl.uses));
    tr.appendChild(el('td', {}, tpl.lastSeq));
    tbody.appendChild(tr);
  }
}

// ---- dead letters --------------------------------------------------------------------------------------------

function renderDeadLetters(o, letters) {
  $('dead-letter-total').textContent = o.deadLetters + ' read · ' + Object.entries(o.deadLettersByReason)
    .map(([r, n]) => r + ' ' + n).join(', ');
  const tbody = $('dead-letter-table').querySelector('tbody');
  const key = o.deadLetters + ':' + letters.length;
  if (tbody.dataset.key === key) return;
  tbody.dataset.key = key;
  clear(tbody);
  for (const l of letters.slice(0, 20)) {
    const tr = el('tr', { 'data-reason': l.reason });
    tr.appendChild(el('td', {}, l.key));
    tr.appendChild(el('td', {}, l.modality));
    tr.appendChild(el('td', {}, l.reason));
    tr.appendChild(el('td', { class: 'message' }, l.message));
    tr.appendChild(el('td', {}, l.processor));
    tr.appendChild(el('td', {}, l.sourceTopic + (l.sourcePartition ? ' [' + l.sourcePartition + '] @' + l.sourceOffset : '')));
    tbody.appendChild(tr);
  }
}

// ---- the loop ------------------------------------------------------------------------------------------------

const RENDER = { video: renderVideo, audio: renderAudio, text: renderText };

async function refresh() {
  try {
    const o = await getJson('streams');
    lastOverview = o;
    renderStreams(o);
    const letters = await getJson('dead-letters');
    renderDeadLetters(o, letters);
    for (const [modality, id] of Object.entries(selected)) {
      const panel = $(modality + '-panel');
      const present = o.streams.some((s) => s.modality === modality);
      panel.style.display = present ? '' : 'none';
      if (!id) continue;
      const d = await getJson(streamPath(id));
      if (d.view) RENDER[modality](d);
      panel.dataset.stream = id;
    }
    $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.ready = 'true';
  } catch (e) {
    $('status').textContent = 'cannot reach the inspector: ' + e.message;
  }
}

function loop() {
  if (!$('pause').checked) refresh();
  setTimeout(loop, POLL_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  $('overlay-toggle').addEventListener('change', (e) => $('video-overlay').classList.toggle('hidden', !e.target.checked));
  $('play-decoded').addEventListener('click', () => play('decoded'));
  $('play-original').addEventListener('click', () => play('original'));
  loop();
});

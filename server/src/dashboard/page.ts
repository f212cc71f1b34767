/**
 * The dashboard page: static HTML, a stylesheet and one script (no build step, no CDN). The script
 * fetches `/api/charts` for the chosen range and draws each chart with uPlot (served from
 * node_modules) beside its figures. Nothing on the page comes from source code: only counts, sums,
 * names of editors, languages, models, tasks and users.
 */

export function pageHtml(token: string): string {
  const q = `?token=${encodeURIComponent(token)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>ghostline dashboard</title>
<link rel="stylesheet" href="/assets/uplot.css${q}">
<link rel="stylesheet" href="/assets/app.css${q}">
<script src="/assets/uplot.js${q}" defer></script>
<script src="/assets/app.js${q}" defer></script>
</head>
<body>
<header>
  <div class="title"><span class="logo">ghostline</span> <span id="scope">dashboard</span></div>
  <nav id="ranges" aria-label="range">
    <button data-days="7">7 days</button><button data-days="30">30 days</button><button data-days="90">90 days</button>
  </nav>
</header>
<div id="health" class="health">loading…</div>
<main id="charts"></main>
<section id="acceptance" class="card wide"></section>
<footer id="footer"></footer>
</body>
</html>
`;
}

export const PAGE_CSS = `
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#667085; --line:#e4e7ec; --accent:#3b5bdb; --ok:#2f9e44; --bad:#e03131; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { display:flex; align-items:center; justify-content:space-between; padding:14px 24px; background:#1d2330; color:#fff; }
.title { font-size:18px; } .logo { font-weight:700; letter-spacing:.5px; } #scope { color:#c5cbe0; margin-left:6px; }
nav button { background:transparent; color:#c5cbe0; border:1px solid #46506a; padding:6px 12px; margin-left:6px; border-radius:6px; cursor:pointer; font:inherit; }
nav button.active { background:#3b5bdb; color:#fff; border-color:#3b5bdb; }
.health { padding:10px 24px; background:#fff; border-bottom:1px solid var(--line); color:var(--muted); font-size:13px; }
.health b { color:var(--ink); font-weight:600; } .dot { display:inline-block; width:9px; height:9px; border-radius:50%; margin-right:6px; vertical-align:0; }
.dot.ok { background:var(--ok); } .dot.bad { background:var(--bad); } .dot.local { background:#868e96; }
main { display:grid; grid-template-columns:repeat(auto-fill, minmax(620px, 1fr)); gap:16px; padding:16px 24px 0; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; min-width:0; }
.card.wide { margin:16px 24px; }
.card h2 { font-size:15px; margin:0 0 2px; } .card .note { color:var(--muted); font-size:12px; margin:0 0 8px; }
.body { display:flex; gap:16px; align-items:flex-start; }
.plot { flex:1 1 auto; min-width:0; }
.figures { flex:0 0 150px; display:flex; flex-direction:column; gap:10px; padding-top:4px; }
.figure .value { font-size:22px; font-weight:650; font-variant-numeric:tabular-nums; line-height:1.1; }
.figure .label { color:var(--muted); font-size:12px; }
.users { max-height:140px; overflow:auto; margin-top:8px; font-size:12px; }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { text-align:right; padding:3px 6px; border-bottom:1px solid var(--line); white-space:nowrap; }
th:first-child, td:first-child { text-align:left; } th { color:var(--muted); font-weight:500; font-size:12px; }
.breakdowns { display:grid; grid-template-columns:repeat(auto-fill, minmax(420px, 1fr)); gap:18px 28px; }
.breakdowns h3 { font-size:13px; margin:4px 0 6px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.4px; }
td.barcell { width:28%; } .bar { position:relative; height:8px; background:#edf0f7; border-radius:4px; min-width:60px; }
.bar span { position:absolute; left:0; top:0; bottom:0; background:var(--accent); border-radius:4px; }
.empty { color:var(--muted); font-style:italic; }
.error { margin:16px 24px; padding:12px 16px; border:1px solid #ffc9c9; background:#fff5f5; color:#c92a2a; border-radius:8px; }
footer { color:var(--muted); font-size:12px; padding:0 24px 24px; }
.u-legend { font-size:12px; } .u-legend .u-marker { border-radius:2px; }
`;

export const APP_JS = String.raw`
'use strict';
(function () {
  const token = new URLSearchParams(location.search).get('token') || '';
  const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 1e9, 1e10];
  const COLORS = ['#3b5bdb', '#f08c00', '#2f9e44', '#ae3ec9', '#1098ad', '#e03131', '#5c940d', '#868e96'];
  const state = { days: Number(new URLSearchParams(location.search).get('days')) || 30, plots: {}, data: null };
  window.__ghostline = state;

  function fmt(value, unit) {
    if (value === null || value === undefined || Number.isNaN(value)) return '—';
    switch (unit) {
      case 'usd': return '$' + (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(4));
      case 'percent': return (value * 100).toFixed(1) + '%';
      case 'ms': return Math.round(value).toLocaleString('en-US') + ' ms';
      case 'tokens': return compact(value);
      default: return Math.round(value).toLocaleString('en-US');
    }
  }
  function compact(v) {
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
    if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'k';
    return Math.round(v).toLocaleString('en-US');
  }
  function axis(value, unit) {
    if (unit === 'usd') return '$' + (value >= 10 || value === 0 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : String(Number(value.toFixed(5))));
    if (unit === 'percent') return Math.round(value * 100) + '%';
    if (unit === 'ms') return compact(value);
    return compact(value);
  }
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }
  function api(path) {
    return fetch(path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token), { cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.statusText); return body; });
    });
  }

  function health(report) {
    const h = report.health;
    const box = document.getElementById('health');
    box.textContent = '';
    const dot = el('span', { class: 'dot ' + (h.source === 'local' ? 'local' : h.redisReachable ? 'ok' : 'bad') });
    const parts = [];
    parts.push(h.source === 'team' ? ['Redis ', h.redisReachable ? 'reachable' : 'unreachable', ' at ' + h.where] : ['', 'local', ' — this developer, from ' + h.where]);
    parts.push(['team ', h.team, '']);
    parts.push(['last model error ', h.lastError ? h.lastError.kind + ' (' + h.lastError.model + ')' : 'none', h.lastError ? ' at ' + new Date(h.lastError.at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '']);
    parts.push(['team file ', h.teamFile || 'none', '']);
    parts.push(['policy ', h.policyVersion, '']);
    parts.push(['ghostline ', h.ghostlineVersion, '']);
    box.appendChild(dot);
    parts.forEach(function (p, i) {
      if (i > 0) box.appendChild(document.createTextNode('  ·  '));
      box.appendChild(document.createTextNode(p[0]));
      box.appendChild(el('b', { text: p[1], 'data-health': ['redis', 'team', 'lastError', 'teamFile', 'policy', 'version'][i] }));
      box.appendChild(document.createTextNode(p[2]));
    });
    document.getElementById('scope').textContent = h.source === 'team' ? 'team “' + h.team + '”' : 'this developer (local)';
  }

  function figure(f) {
    return el('div', { class: 'figure' }, [
      el('div', { class: 'value', 'data-field': f.field, 'data-value': f.value === null ? '' : String(f.value), text: fmt(f.value, f.unit) }),
      el('div', { class: 'label', text: f.label }),
    ]);
  }

  function usersTable(report) {
    const rows = report.users.map(function (u) {
      return el('tr', { 'data-user': u.name }, [el('td', { text: u.name }), el('td', { text: fmt(u.totalUsd, 'usd') }), el('td', { text: compact(u.totalTokens) })]);
    });
    const table = el('table', {}, [el('tr', {}, [el('th', { text: 'user' }), el('th', { text: 'spend' }), el('th', { text: 'tokens' })])].concat(rows));
    return el('div', { class: 'users' }, [table]);
  }

  function draw(chart, holder) {
    const width = Math.max(280, holder.clientWidth);
    const xs = chart.days.map(function (d) { return Date.parse(d + 'T00:00:00Z') / 1000; });
    const many = chart.days.length > 31;
    const whole = chart.unit === 'count' || chart.unit === 'tokens';
    const series = [{ label: 'day', value: function (u, v) { return v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 10); } }].concat(chart.series.map(function (s, i) {
      const color = s.dashed ? (s.label === 'hard cap' ? '#e03131' : '#f08c00') : COLORS[i % COLORS.length];
      return {
        label: s.label, stroke: color, width: s.dashed ? 1.5 : 2, dash: s.dashed ? [6, 4] : undefined,
        fill: chart.series.length === 1 || (i === 0 && chart.name === 'spend') ? color + '1f' : undefined,
        points: { show: !many && !s.dashed, size: 5 }, spanGaps: false,
        value: function (u, v) { return fmt(v, chart.unit); },
      };
    }));
    const opts = {
      width: width, height: 210, series: series,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [
        { stroke: '#667085', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e4e7ec' } },
        { stroke: '#667085', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e4e7ec' }, size: 64, incrs: whole ? WHOLE_STEPS : undefined, values: function (u, splits) { return splits.map(function (v) { return axis(v, chart.unit); }); } },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    holder.textContent = '';
    return new uPlot(opts, [xs].concat(chart.series.map(function (s) { return s.values; })), holder);
  }

  function breakdowns(report) {
    const box = document.getElementById('acceptance');
    box.textContent = '';
    box.appendChild(el('h2', { text: 'Acceptance by editor, language, model and task' }));
    box.appendChild(el('p', { class: 'note', text: 'Suggestions shown and accepted over the range; the bar is the acceptance rate.' }));
    const grid = el('div', { class: 'breakdowns' });
    const titles = { editor: 'Editor', language: 'Language', model: 'Model', task: 'Task' };
    Object.keys(titles).forEach(function (dim) {
      const rows = report.acceptance[dim] || [];
      const table = el('table', { 'data-dimension': dim }, [el('tr', {}, [el('th', { text: 'name' }), el('th', { text: 'shown' }), el('th', { text: 'accepted' }), el('th', { text: 'rate' }), el('th', {})])]);
      rows.forEach(function (r) {
        const bar = el('div', { class: 'bar' }, [el('span', {})]);
        bar.firstChild.style.width = Math.round((r.rate || 0) * 100) + '%';
        table.appendChild(el('tr', { 'data-name': r.name }, [
          el('td', { text: r.name }), el('td', { text: fmt(r.shown, 'count') }), el('td', { text: fmt(r.accepted, 'count') }),
          el('td', { text: fmt(r.rate, 'percent'), 'data-rate': r.rate === null ? '' : String(r.rate) }), el('td', { class: 'barcell' }, [bar]),
        ]));
      });
      if (rows.length === 0) table.appendChild(el('tr', {}, [el('td', { class: 'empty', colspan: '5', text: 'nothing shown yet' })]));
      grid.appendChild(el('div', {}, [el('h3', { text: titles[dim] }), table]));
    });
    box.appendChild(grid);
  }

  function render(data) {
    state.data = data;
    state.plots = {};
    health(data.report);
    const main = document.getElementById('charts');
    main.textContent = '';
    data.charts.forEach(function (chart) {
      const holder = el('div', { class: 'plot', 'data-chart': chart.name });
      const figures = el('div', { class: 'figures' }, chart.figures.map(figure));
      const card = el('section', { class: 'card', id: 'chart-' + chart.name }, [
        el('h2', { text: chart.title }), el('p', { class: 'note', text: chart.note }), el('div', { class: 'body' }, [holder, figures]),
      ]);
      if (chart.name === 'users') card.appendChild(usersTable(data.report));
      main.appendChild(card);
      state.plots[chart.name] = draw(chart, holder);
    });
    breakdowns(data.report);
    document.getElementById('footer').textContent = data.report.rangeDays + ' UTC days, ' + data.report.days[0] + ' to ' + data.report.days[data.report.days.length - 1] + ' · generated ' + data.report.generatedAt.replace('T', ' ').slice(0, 19) + ' UTC · JSON: /api/report, /api/charts, /api/chart/<name> · Prometheus: /metrics';
    document.body.setAttribute('data-ready', String(data.report.rangeDays));
  }

  function load() {
    document.querySelectorAll('#ranges button').forEach(function (b) { b.classList.toggle('active', Number(b.getAttribute('data-days')) === state.days); });
    const asked = performance.now();
    return api('/api/charts?days=' + state.days).then(function (data) {
      const fetched = performance.now();
      render(data);
      state.timing = { fetchMs: Math.round(fetched - asked), renderMs: Math.round(performance.now() - fetched) };
    }, function (error) {
      const main = document.getElementById('charts');
      main.textContent = '';
      document.getElementById('health').textContent = '';
      document.getElementById('health').appendChild(el('div', { class: 'error', text: 'Cannot read the counters: ' + error.message }));
      document.body.setAttribute('data-ready', 'error');
    });
  }

  document.querySelectorAll('#ranges button').forEach(function (b) {
    b.addEventListener('click', function () {
      state.days = Number(b.getAttribute('data-days'));
      const url = new URL(location.href);
      url.searchParams.set('days', String(state.days));
      history.replaceState(null, '', url);
      load();
    });
  });
  let resizing;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { if (state.data) render(state.data); }, 150);
  });
  setInterval(function () { if (!document.hidden) load(); }, 60000);
  load();
})();
`;

// The Tributary console: four pages routed by path, fed by the console's JSON API (/api/...).
const page = document.getElementById('page');
const KEY = 'tributary.console.apiKey';
const COLORS = ['#2563eb', '#d92d20', '#12b76a', '#f79009', '#7a5af8', '#0ba5ec', '#ee46bc', '#667085'];
const REFRESH_MS = 5000;
let timers = [];
let plots = [];
// Bumped on every navigation: a page whose data arrives after the user moved on must not draw it.
let generation = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

class Unauthorized extends Error {}
class Superseded extends Error {}

async function api(path) {
  const asked = generation;
  const headers = {};
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = 'Bearer ' + key;
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (asked !== generation) throw new Superseded();
  if (response.status === 401) throw new Unauthorized(body.error);
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function navigate(path) {
  history.pushState(null, '', path);
  route();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (a && a.origin === location.origin && !e.ctrlKey && !e.metaKey && a.getAttribute('href')?.startsWith('/')) {
    e.preventDefault();
    navigate(a.getAttribute('href'));
  }
});
window.addEventListener('popstate', route);

function reset() {
  generation++;
  timers.forEach(clearInterval);
  timers = [];
  plots.forEach((p) => p.destroy());
  plots = [];
  page.replaceChildren();
}

async function route() {
  reset();
  const path = location.pathname;
  document.querySelectorAll('header nav a').forEach((a) => {
    const href = a.getAttribute('href');
    a.classList.toggle('active', href === '/' ? path === '/' : path.startsWith(href));
  });
  try {
    const session = await api('/api/session');
    document.getElementById('session').textContent = session.tenant ? 'tenant ' + session.tenant : '';
    if (session.authentication && !session.tenant) return login();
    const trace = path.match(/^\/traces\/([0-9a-fA-F]{32})$/);
    if (trace) await traceView(trace[1].toLowerCase());
    else if (path.startsWith('/traces')) await tracesPage();
    else if (path === '/llm') await llmPage();
    else if (path === '/alerts') await alertsPage();
    else await overview();
  } catch (e) {
    if (e instanceof Superseded) return;
    if (e instanceof Unauthorized) return login(e.message);
    page.append(el('p', { class: 'error-text', id: 'error' }, e.message));
  }
}

function login(message) {
  reset();
  const input = el('input', { type: 'password', id: 'api-key', placeholder: 'API key', autocomplete: 'off' });
  page.append(el('form', { class: 'login', onsubmit: (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    route();
  } }, el('h1', {}, 'API key'),
  el('p', { class: 'muted' }, 'Authentication is on: enter one of the gateway\'s API keys to see its tenant\'s data.'),
  message ? el('p', { class: 'error-text' }, message) : null, input, el('button', { type: 'submit' }, 'Sign in')));
}

// ---- charts

function chart(container, title, unit, timestamps, series, id) {
  const card = el('div', { class: 'card', 'data-chart': id || title });
  const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null && v !== 0).length, 0);
  card.setAttribute('data-points', points);
  card.append(el('h3', {}, title, el('span', { class: 'muted' }, ' (' + unit + ')')));
  container.append(card);
  if (!series.length) {
    card.append(el('p', { class: 'muted' }, 'No data in this range.'));
    return;
  }
  const opts = {
    width: Math.max(300, card.clientWidth - 16), height: 200,
    scales: { x: { time: true } },
    series: [{}, ...series.map((s, i) => ({ label: s.name, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false }))],
    axes: [{}, { size: 80 }],
    legend: { live: true },
  };
  plots.push(new uPlot(opts, [timestamps, ...series.map((s) => s.values)], card));
}

function fmt(n, digits = 2) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString() : Number(n).toFixed(digits);
}

function table(headers, rows, attrs = {}) {
  return el('table', attrs, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
}

// ---- overview

async function overview() {
  page.append(el('h1', {}, 'Overview'), el('p', { class: 'muted' }, 'Last 15 minutes, refreshed every 5 s.'));
  const body = el('div');
  page.append(body);
  const draw = async () => {
    const data = await api('/api/overview');
    plots.forEach((p) => p.destroy());
    plots = [];
    const health = table(['role', 'address', 'health'], data.health.map((h) => el('tr', { 'data-role': h.role },
      el('td', {}, h.role), el('td', { class: 'muted' }, h.address),
      el('td', {}, el('span', { class: 'badge ' + (h.healthy ? 'ok' : 'bad') }, h.healthy ? 'healthy' : 'unhealthy'),
        h.problem ? ' ' + h.problem : ''))), { id: 'health' });
    const stages = table(['stage', 'per second (last minute)'], data.stages.map((s) => el('tr',
      { 'data-stage': s.stage, 'data-rate': s.per_second }, el('td', {}, s.stage), el('td', { class: 'num' }, fmt(s.per_second)))),
      { id: 'stages' });
    const lag = table(['consumer group', 'lag (records)'], data.lag.map((l) => el('tr', {},
      el('td', {}, l.group), el('td', { class: 'num' }, l.records.toLocaleString()))), { id: 'lag' });
    const sinks = table(['sink connector', 'delivered /s', 'delivered', 'retried /s', 'retried', 'failed /s', 'failed'],
      data.sinks.map((s) => el('tr', {
        'data-sink': s.connector, 'data-delivered-total': s.delivered_total, 'data-retried-total': s.retried_total,
        'data-failed-total': s.failed_total,
      }, el('td', {}, s.connector),
      ...['delivered', 'retried', 'failed'].flatMap((k) => [
        el('td', { class: 'num' }, fmt(s[k + '_per_second'])),
        el('td', { class: 'num' + (k === 'failed' && s.failed_total > 0 ? ' bad' : '') }, s[k + '_total'].toLocaleString()),
      ]))), { id: 'sinks' });
    const charts = el('div', { class: 'grid' });
    body.replaceChildren(el('h2', {}, 'Health'), health, el('h2', {}, 'Throughput'),
      data.stages.length ? stages : el('p', { class: 'muted', id: 'stages' }, 'No traffic in the last minute.'),
      el('h2', {}, 'Sinks'),
      data.sinks.length ? sinks : el('p', { class: 'muted', id: 'sinks' }, 'No sink metrics: the Connect worker\'s /metrics is not among the roles.'),
      el('h2', {}, 'Charts'), charts, el('h2', {}, 'Consumer lag'), lag);
    for (const c of data.charts) chart(charts, c.title, c.unit, data.timestamps, c.series);
  };
  await draw();
  timers.push(setInterval(() => draw().catch(ignoreSuperseded), REFRESH_MS));
}

function ignoreSuperseded(e) {
  if (!(e instanceof Superseded)) console.warn(e);
}

// ---- traces

const SEARCH_FIELDS = [
  ['service', 'service', 'text'], ['operation', 'operation', 'text'], ['status', 'status', ['', 'ERROR', 'OK', 'UNSET']],
  ['min_duration_ms', 'min duration (ms)', 'number'], ['max_duration_ms', 'max duration (ms)', 'number'],
  ['attribute', 'attribute (key=value)', 'text'], ['min_cost', 'min LLM cost (USD)', 'number'],
  ['lookback', 'time range', ['15m', '1h', '6h', '24h', '7d']],
];

async function tracesPage() {
  const params = new URLSearchParams(location.search);
  const form = el('form', { class: 'search', id: 'search' });
  for (const [name, label, type] of SEARCH_FIELDS) {
    const input = Array.isArray(type)
      ? el('select', { name }, type.map((v) => el('option', { value: v }, v || 'any')))
      : el('input', { name, type, step: 'any', min: type === 'number' ? '0' : undefined });
    input.value = params.get(name) ?? (name === 'lookback' ? '1h' : '');
    form.append(el('label', {}, label, input));
  }
  form.append(el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const query = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) query.set(k, v);
    navigate('/traces?' + query);
  });
  page.append(el('h1', {}, 'Traces'), form);
  const data = await api('/api/traces?' + params);
  const rows = data.traces.map((t) => el('tr', { class: t.errors ? 'error' : '', 'data-trace-id': t.trace_id, 'data-errors': t.errors },
    el('td', {}, el('a', { href: '/traces/' + t.trace_id }, (t.root_service || '?') + ': ' + (t.root_name || t.trace_id))),
    el('td', {}, t.start_ms ? new Date(t.start_ms).toLocaleString() : ''),
    el('td', { class: 'num' }, fmt(t.duration_ms)), el('td', { class: 'num' }, t.spans),
    el('td', { class: 'num' }, t.errors ? el('span', { class: 'badge bad' }, t.errors) : '0'),
    el('td', { class: 'num' }, t.cost_usd ? '$' + t.cost_usd.toFixed(4) : ''),
    el('td', { class: 'muted' }, t.services.join(', '))));
  page.append(el('h2', {}, data.traces.length + ' traces'),
    table(['trace', 'start', 'duration (ms)', 'spans', 'errors', 'LLM cost', 'services'], rows, { id: 'results' }));
}

async function traceView(traceId) {
  const trace = await api('/api/traces/' + traceId);
  page.append(el('h1', {}, 'Trace ', el('code', {}, trace.trace_id)),
    el('p', { class: 'muted' }, new Date(trace.start_ms).toLocaleString() + ' · ' + fmt(trace.duration_ms) + ' ms · '
      + trace.spans.length + ' spans'));
  const total = Math.max(trace.duration_ms, 0.001);
  const details = el('div', { class: 'details', id: 'span-details' });
  const waterfall = el('div', { class: 'waterfall', id: 'waterfall' });
  const select = (span, row) => {
    waterfall.querySelectorAll('.selected').forEach((r) => r.classList.remove('selected'));
    row.classList.add('selected');
    details.replaceChildren(spanDetails(span, trace));
  };
  for (const span of trace.spans) {
    const left = ((span.start_ms - trace.start_ms) / total) * 100;
    const width = (span.duration_ms / total) * 100;
    const row = el('div', { class: 'span-row' + (span.status === 'ERROR' ? ' error' : ''), 'data-span-id': span.span_id,
      'data-status': span.status },
      el('div', { class: 'label', style: 'padding-left:' + (6 + span.depth * 14) + 'px', title: span.name },
        el('span', { class: 'service' }, span.service), span.name, span.status === 'ERROR' ? ' ⚠' : ''),
      el('div', { class: 'track' }, el('div', { class: 'bar', style: `left:${left}%;width:${width}%` }),
        el('span', { class: 'time', style: `left:${Math.min(left + width, 90)}%` }, ' ' + fmt(span.duration_ms) + ' ms')));
    row.addEventListener('click', () => select(span, row));
    waterfall.append(row);
  }
  page.append(waterfall, details);
  const firstError = trace.spans.findIndex((s) => s.status === 'ERROR');
  const first = Math.max(0, firstError);
  if (trace.spans.length) select(trace.spans[first], waterfall.children[first]);
  page.append(el('h2', {}, 'Logs'), trace.logs.length
    ? table(['time', 'severity', 'service', 'span', 'body'], trace.logs.map((l) => el('tr', {},
      el('td', {}, new Date(l.time_ms).toLocaleTimeString()), el('td', {}, l.severity), el('td', {}, l.service),
      el('td', { class: 'muted' }, l.span_id), el('td', {}, l.body))), { id: 'logs' })
    : el('p', { class: 'muted' }, 'No logs with this trace id.'));
}

function kv(object) {
  const entries = Object.entries(object || {});
  if (!entries.length) return el('span', { class: 'muted' }, 'none');
  return table(['key', 'value'], entries.map(([k, v]) => el('tr', {}, el('td', {}, k),
    el('td', {}, el('pre', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))))));
}

function spanDetails(span, trace) {
  return el('div', { class: 'card' },
    el('h2', {}, span.service + ': ' + span.name, ' ', el('span', { class: 'badge ' + (span.status === 'ERROR' ? 'bad' : 'ok') },
      span.status)),
    span.status_message ? el('p', { class: 'error-text' }, span.status_message) : null,
    el('p', { class: 'muted' }, `span ${span.span_id} · kind ${span.kind} · starts at +${fmt(span.start_ms - trace.start_ms)} ms · `
      + `${fmt(span.duration_ms)} ms` + (span.sampling_policy ? ' · kept by sampling policy ' + span.sampling_policy : '')),
    el('h3', {}, 'Attributes'), kv(span.attributes),
    el('h3', {}, 'Events'), span.events.length ? table(['at', 'name', 'attributes'], span.events.map((e) => el('tr', {},
      el('td', {}, '+' + fmt(e.time_ms - trace.start_ms) + ' ms'), el('td', {}, e.name),
      el('td', {}, el('pre', {}, JSON.stringify(e.attributes || {})))))) : el('span', { class: 'muted' }, 'none'),
    el('h3', {}, 'Resource'), kv(span.resource));
}

// ---- LLM

async function llmPage() {
  const params = new URLSearchParams(location.search);
  const lookback = params.get('lookback') || '1h';
  const select = el('select', { name: 'lookback', onchange: (e) => navigate('/llm?lookback=' + e.target.value) },
    ['15m', '1h', '6h', '24h', '7d'].map((v) => el('option', { value: v }, v)));
  select.value = lookback;
  page.append(el('h1', {}, 'LLM'), el('p', { class: 'muted' }, 'Time range ', select,
    ' · from the stored (kept) LLM spans; refreshed every 30 s.'));
  const body = el('div');
  page.append(body);
  const draw = async () => {
    const data = await api('/api/llm?lookback=' + encodeURIComponent(lookback));
    plots.forEach((p) => p.destroy());
    plots = [];
    const charts = el('div', { class: 'grid' });
    const models = table(['model', 'calls', 'input tokens', 'output tokens', 'cost (USD)', 'TTFT p50 (ms)', 'TTFT p95 (ms)'],
      data.models.map((m) => el('tr', { 'data-model': m.model }, el('td', {}, m.model), el('td', { class: 'num' }, m.calls),
        el('td', { class: 'num' }, m.input_tokens.toLocaleString()), el('td', { class: 'num' }, m.output_tokens.toLocaleString()),
        el('td', { class: 'num' }, m.cost_usd.toFixed(4)), el('td', { class: 'num' }, fmt(m.ttft_p50_ms)),
        el('td', { class: 'num' }, fmt(m.ttft_p95_ms)))), { id: 'models' });
    body.replaceChildren(el('p', {}, data.calls + ' LLM calls'), models, charts);
    for (const c of data.charts) chart(charts, c.title, c.unit, data.timestamps, c.series, c.id);
  };
  await draw();
  timers.push(setInterval(() => draw().catch(ignoreSuperseded), 30000));
}

// ---- alerts

async function alertsPage() {
  page.append(el('h1', {}, 'Alerts'), el('p', { class: 'muted' }, 'Firing and pending, from telemetry.alerts; refreshed every 5 s.'));
  const body = el('div');
  page.append(body);
  const draw = async () => {
    const data = await api('/api/alerts');
    body.replaceChildren(data.alerts.length ? table(['alert', 'state', 'since', 'value', 'labels', 'annotations'],
      data.alerts.map((a) => el('tr', { 'data-alert': a.alert_name, 'data-state': a.state },
        el('td', {}, a.alert_name), el('td', {}, el('span', { class: 'badge ' + a.state }, a.state)),
        el('td', {}, a.since ? new Date(a.since).toLocaleString() : ''), el('td', { class: 'num' }, fmt(a.value)),
        el('td', {}, el('pre', {}, Object.entries(a.labels).map(([k, v]) => k + '=' + v).join('\n'))),
        el('td', {}, el('pre', {}, Object.entries(a.annotations).map(([k, v]) => k + ': ' + v).join('\n'))))),
      { id: 'alerts' }) : el('p', { class: 'muted', id: 'alerts' }, 'Nothing firing or pending.'));
  };
  await draw();
  timers.push(setInterval(() => draw().catch(ignoreSuperseded), REFRESH_MS));
}

route();

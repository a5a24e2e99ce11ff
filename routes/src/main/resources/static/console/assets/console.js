// The console's shared script: words, the API with the session's CSRF token, DOM building without
// innerHTML (every value from the API is text, never markup), dates and numbers in the reader's
// locale, a bar chart in SVG with its figures as a table, a reason dialog and status messages.
// Plain ES module, served as it is: no build step, no framework.

const words = JSON.parse(document.getElementById('om-words')?.textContent || '{}');
const allowed = new Set(JSON.parse(document.getElementById('om-allowed')?.textContent || '[]'));

/** The page's language: zh-CN or en. */
export const lang = document.documentElement.lang || 'en';

/** The member, import or other subject the page is about (from its address), if any. */
export const subject = document.body.dataset.subject || null;

/** The word for key, with {name} or {0} filled from vars. */
export function t(key, vars) {
  let s = words[key];
  if (s === undefined) {
    return key;
  }
  if (vars) {
    for (const [k, v] of Object.entries(vars)) {
      s = s.split('{' + k + '}').join(String(v));
    }
  }
  return s;
}

/** The word for key, or fallback when the bundles have none (a value the API added later). */
export function word(key, fallback) {
  const s = words[key];
  return s === undefined ? fallback : s;
}

/** A member's or import's id as the API writes it, for an input's pattern attribute. */
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Whether s is such an id. */
export function isUuid(s) {
  return new RegExp('^' + UUID + '$').test(s || '');
}

/** Whether the logged-in role may call the API operation (its operationId in the contract). */
export function can(operationId) {
  return allowed.has(operationId);
}

/** An error the API answered: status, code and the message in the reader's language. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The hub's messages are written "中文 / English" (or "中文（60）/ English", no space before the
 * slash when the Chinese ends in full-width punctuation): the part in the reader's language, or all
 * of it when it has no such split.
 */
export function localized(message) {
  if (!message) {
    return '';
  }
  const at = message.indexOf(' / ');
  if (at >= 0) {
    return lang === 'zh-CN' ? message.slice(0, at) : message.slice(at + 3);
  }
  const m = message.match(/^([\s\S]*?[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\/\s*([\x21-\x7e][\s\S]*)$/);
  if (!m) {
    return message;
  }
  return lang === 'zh-CN' ? m[1].trim() : m[2].trim();
}

function csrf() {
  const header = document.querySelector('meta[name="csrf-header"]')?.content;
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  return header && token ? { [header]: token } : {};
}

/** The query string of params, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') {
      q.append(k, v);
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Calls the hub's API with the console session. options: method, params (query), json (a body),
 * form (FormData), raw (answer the Response itself). Throws ApiError with the hub's message.
 */
export async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: 'application/json' };
  let body;
  if (method !== 'GET' && method !== 'HEAD') {
    Object.assign(headers, csrf());
  }
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  let response;
  try {
    response = await fetch('/api/v1' + path + query(options.params), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (e) {
    // the browser's own words for this ("Failed to fetch") are English whatever the page says
    throw new ApiError(0, 'network', t('common.network'));
  }
  if (response.status === 401) {
    window.location.assign('/console/login?expired');
    throw new ApiError(401, 'unauthorized', t('login.expired'));
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch (e) {
      // not JSON: the status says enough
    }
    throw new ApiError(
      response.status,
      problem.code || String(response.status),
      localized(problem.message) || t('common.http', { 0: response.status })
    );
  }
  if (options.raw) {
    return response;
  }
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204 || !type.includes('json')) {
    return null;
  }
  return response.json();
}

/**
 * An element: el('a', {href: '/x', class: 'b', onclick: fn}, 'text', child). Attributes whose
 * value is null, undefined or false are left out; children may be strings, nodes or arrays.
 */
export function el(tag, attrs, ...children) {
  const svg = ['svg', 'g', 'rect', 'line', 'text', 'title', 'path', 'polyline'].includes(tag);
  const node = svg
    ? document.createElementNS('http://www.w3.org/2000/svg', tag)
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.slice(2), v);
    } else if (k === 'dataset') {
      Object.assign(node.dataset, v);
    } else {
      node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(node, c);
    } else {
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
}

/** Empties node and puts children in it. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
const dayShort = new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
const numbers = new Intl.NumberFormat(lang);

/**
 * A time from the API (ISO 8601) in the reader's locale and time zone; '' for none, and the text
 * itself when it is no time.
 */
export function when(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateTime.format(d);
}

/** A date (yyyy-mm-dd) in the reader's locale. */
export function day(isoDate, short) {
  if (!isoDate) {
    return '';
  }
  const d = new Date(isoDate + 'T00:00:00Z');
  if (Number.isNaN(d.getTime())) {
    return String(isoDate); // a masked birthday (1990-**-**) is shown as the API wrote it
  }
  return short ? dayShort.format(d) : dateOnly.format(d);
}

/** A count in the reader's locale (12,345 or 12,345 in zh-CN alike, but grouped as it should). */
export function count(n) {
  return n === null || n === undefined ? '' : numbers.format(n);
}

/** A number with digits decimals, e.g. a match probability. */
export function decimal(n, digits = 3) {
  return n === null || n === undefined
    ? ''
    : new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** An amount of money in yuan, in the reader's locale. */
export function yuan(n) {
  return n === null || n === undefined
    ? ''
    : new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' }).format(n);
}

/**
 * The reader's local midnight at the start of a day (yyyy-mm-dd from a date input), days later,
 * as the ISO date-time the API's from/to filters take; undefined for no day. A "to" filter that
 * should include its whole day passes days = 1.
 */
export function midnight(isoDate, days = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate || '')) {
    return undefined;
  }
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}

/** The browser's IANA time zone, for APIs that count per day. */
export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

let statusTimer;

/** Says msg in the status line (read out by screen readers); bad for errors. */
export function say(msg, bad) {
  const box = document.getElementById('om-status');
  if (!box) {
    return;
  }
  box.classList.toggle('bad', !!bad);
  box.textContent = msg;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (box.textContent = ''), bad ? 12000 : 5000);
}

/** Says an error from the API (or any other) as the status line's bad message. */
export function sayError(e) {
  say(t('common.error', { 0: e.message || String(e) }), true);
}

/**
 * A table: columns are {label, value: row => text or node, num: true for figures}; rows the
 * data. caption names the table for screen readers.
 */
export function table(columns, rows, caption) {
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      null,
      caption ? el('caption', { class: 'sr-only' }, caption) : null,
      el('thead', null, el('tr', null, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      el(
        'tbody',
        null,
        rows.length === 0
          ? el('tr', null, el('td', { colspan: columns.length, class: 'muted' }, t('common.none')))
          : rows.map((r) => el('tr', null, columns.map((c) => el('td', { class: c.num ? 'num' : null }, c.value(r)))))
      )
    )
  );
}

const PALETTE = ['#0b5cad', '#c2410c', '#1c6b36', '#7c3aed', '#a3201b', '#0e7490', '#854d0e', '#475569'];

/**
 * A stacked bar chart in SVG: labels along the bottom, one bar per label stacked from series
 * ({name, values}). The figures follow as a table in a details element, so that nothing shown
 * only as a picture is lost to a screen reader.
 */
export function barChart(labels, series, title) {
  const w = 320;
  const h = 150;
  const left = 30;
  const bottom = 18;
  const totals = labels.map((_, i) => series.reduce((s, x) => s + (x.values[i] || 0), 0));
  const max = Math.max(1, ...totals);
  const band = (w - left) / labels.length;
  const y = (v) => (h - bottom) * (1 - v / max);
  const bars = [];
  labels.forEach((label, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const v = s.values[i] || 0;
      if (v > 0) {
        bars.push(
          el(
            'rect',
            {
              x: (left + i * band + band * 0.15).toFixed(1),
              y: y(base + v).toFixed(1),
              width: (band * 0.7).toFixed(1),
              height: (y(base) - y(base + v)).toFixed(1),
              fill: PALETTE[k % PALETTE.length],
            },
            el('title', null, `${label} · ${s.name}: ${count(v)}`)
          )
        );
      }
      base += v;
    });
    // every other day labelled, counted back from the last (today) so that today always is
    if (labels.length <= 16 && ((labels.length - 1 - i) % 2 === 0 || labels.length <= 8)) {
      bars.push(el('text', { x: (left + i * band + band / 2).toFixed(1), y: h - 4, 'text-anchor': 'middle' }, label));
    }
  });
  const svg = el(
    'svg',
    { class: 'chart', viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': title },
    el('line', { x1: left, y1: h - bottom, x2: w, y2: h - bottom, stroke: '#7a8499' }),
    el('text', { x: left - 4, y: 10, 'text-anchor': 'end' }, count(max)),
    el('text', { x: left - 4, y: h - bottom, 'text-anchor': 'end' }, '0'),
    bars
  );
  const legend =
    series.length > 1
      ? el(
          'ul',
          { class: 'legend' },
          series.map((s, k) =>
            el('li', null, el('span', { class: 'swatch', 'aria-hidden': 'true', dataset: { k } }), s.name)
          )
        )
      : null;
  if (legend) {
    // colours set through the CSS object model: the content security policy forbids style attributes
    legend.querySelectorAll('.swatch').forEach((sw) => (sw.style.background = PALETTE[Number(sw.dataset.k) % PALETTE.length]));
  }
  const figures = el(
    'details',
    { class: 'data' },
    el('summary', null, t('common.chart.table')),
    table(
      [{ label: t('common.day'), value: (r) => r.label }].concat(
        series.map((s, k) => ({ label: s.name, num: true, value: (r) => count(s.values[r.i] || 0) }))
      ),
      labels.map((label, i) => ({ label, i })),
      title
    )
  );
  return [svg, legend, figures];
}

/**
 * Asks for a reason in a modal dialog; resolves to the text, or null when cancelled. The reason is
 * required: what it is for ends in the merge log or the access log.
 */
export function askReason(title, confirmLabel) {
  return new Promise((resolve) => {
    const id = 'reason-' + Math.random().toString(36).slice(2);
    const area = el('textarea', { id, required: true, maxlength: 500 });
    const error = el('p', { class: 'error', role: 'alert' });
    const dialog = el(
      'dialog',
      { 'aria-labelledby': id + '-h' },
      el(
        'form',
        { method: 'dialog' },
        el('h2', { id: id + '-h' }, title),
        el('label', { for: id }, t('common.reason')),
        area,
        error,
        el(
          'div',
          { class: 'actions' },
          el('button', { type: 'submit', value: 'ok' }, confirmLabel || t('common.confirm')),
          el('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, t('common.cancel'))
        )
      )
    );
    dialog.addEventListener('submit', (e) => {
      if (!area.value.trim()) {
        e.preventDefault();
        error.textContent = t('common.reason.required');
        area.focus();
      }
    });
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok' && area.value.trim();
      dialog.remove();
      resolve(ok ? area.value.trim() : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    area.focus();
  });
}

/** A labelled form field: {id, label, control}. The control gets the id. */
export function field(label, control) {
  if (!control.id) {
    control.id = 'f-' + Math.random().toString(36).slice(2);
  }
  return el('div', { class: 'field' }, el('label', { for: control.id }, label), control);
}

/** A select of options [{value, label}], the first chosen unless selected says. */
export function select(options, selected, attrs) {
  return el(
    'select',
    attrs,
    options.map((o) => el('option', { value: o.value, selected: o.value === selected }, o.label))
  );
}

/** The URL's query parameters as an object. */
export function params() {
  return Object.fromEntries(new URLSearchParams(window.location.search));
}

/** Writes params to the URL without reloading, so a filtered view can be bookmarked and shared. */
export function remember(values) {
  const url = new URL(window.location.href);
  url.search = query(values);
  window.history.replaceState(null, '', url);
}

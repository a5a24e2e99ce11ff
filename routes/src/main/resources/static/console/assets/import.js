// One import: its status and counts, live progress while it is read and matched (server-sent events
// of GET /api/v1/imports/{id}/progress), the rows it rejected or kept with warnings (from the row
// report, GET /{id}/rows as CSV), the report workbooks to download, and the rollback.
import {
  api,
  askReason,
  can,
  count,
  decimal,
  el,
  fill,
  localized,
  params,
  say,
  sayError,
  subject,
  t,
  table,
  when,
  word,
} from './console.js';

const COUNTS = ['rows', 'accepted', 'rejected', 'pending', 'created', 'merged', 'updated', 'unchanged', 'warnings'];

/** The most rows of the report shown on the page; the workbooks hold them all. */
const SHOWN_ROWS = 500;

/** Polling period when the stream is not there (a role without it, or a stream that broke). */
const POLL_MILLIS = 2000;

const base = '/imports/' + encodeURIComponent(subject);
const summary = document.getElementById('import-summary');
const progressBox = document.getElementById('import-progress');
const countsBox = document.getElementById('import-counts');
const actionsSection = document.getElementById('import-actions-section');
const actions = document.getElementById('import-actions');
const rollbackResult = document.getElementById('rollback-result');
const rowsSection = document.getElementById('import-rows-section');
const rowsBox = document.getElementById('import-rows');

let job = null;
let stream = null;
let pollTimer = null;
/** The status the actions and the row report were last drawn for. */
let drawnFor = null;

function inFlight(j) {
  return j.status === 'READING' || j.status === 'PROCESSING';
}

function statusBadge(status) {
  const tone = status === 'COMPLETED' ? ' good' : status === 'FAILED' ? ' bad' : '';
  return el('span', { class: 'badge' + tone, id: 'import-status', dataset: { status } }, word('imports.status.' + status, status));
}

function fact(label, value, id) {
  return [el('dt', null, label), el('dd', id ? { id } : null, value)];
}

// ---------------------------------------------------------------- status, counts, mapping

function show(j) {
  job = j;
  fill(
    summary,
    el(
      'dl',
      { class: 'facts' },
      fact(t('common.status'), statusBadge(j.status)),
      fact(t('common.source'), j.source, 'import-source'),
      fact(t('imports.file'), j.fileName, 'import-file'),
      fact(t('imports.format'), [j.format, j.encoding ? ' · ' + j.encoding : '']),
      j.sheet ? fact(t('imports.sheet'), j.sheet) : null,
      fact(t('imports.created'), when(j.createdAt)),
      j.completedAt ? fact(t('imports.completed'), when(j.completedAt)) : null,
      j.rolledBackAt ? fact(t('imports.rolled-back'), t('imports.rolled-back.by', { 0: when(j.rolledBackAt), 1: j.rolledBackBy || '' })) : null,
      j.rollbackReason ? fact(t('imports.rollback.reason'), j.rollbackReason) : null
    ),
    j.error || j.errorCode
      ? el(
          'p',
          { class: 'error', id: 'import-error' },
          t('imports.failed', { 0: localized(j.error) || j.errorCode }),
          j.errorCode && j.error ? el('span', { class: 'muted' }, ' (' + j.errorCode + ')') : null
        )
      : null
  );
  summary.setAttribute('aria-busy', 'false');

  const c = j.counts || {};
  fill(
    countsBox,
    el(
      'dl',
      { class: 'facts counts' },
      COUNTS.map((k) => [
        el('dt', null, t('imports.count.' + k)),
        el('dd', { id: 'count-' + k, class: 'num', dataset: { value: c[k] ?? '' } }, count(c[k])),
      ])
    )
  );

  showProgress(j);
  if (drawnFor !== j.status) {
    drawnFor = j.status;
    showMapping(j);
    showActions(j);
    if (!inFlight(j)) {
      showRows(j);
    }
  }
}

function showMapping(j) {
  const box = document.getElementById('import-mapping');
  fill(
    box,
    table(
      [
        { label: t('imports.mapping.column'), value: (m) => m.header },
        { label: t('imports.mapping.field'), value: (m) => word('imports.field.' + m.field, m.field) },
        { label: t('imports.mapping.decided'), value: (m) => (m.decidedBy ? word('imports.decided.' + m.decidedBy, m.decidedBy) : '') },
      ],
      j.mapping || [],
      t('imports.detail.mapping')
    ),
    j.unmappedColumns && j.unmappedColumns.length
      ? el('p', { class: 'warn' }, t('imports.unmapped', { 0: j.unmappedColumns.join(', ') }))
      : null
  );
}

// ---------------------------------------------------------------- live progress

let bar = null;
let progressText = null;
let rateText = null;

function showProgress(j) {
  if (!inFlight(j)) {
    progressBox.hidden = true;
    return;
  }
  if (!bar) {
    bar = el('progress', { id: 'import-progress-bar', max: 1 });
    progressText = el('span', { id: 'import-progress-text' });
    rateText = el('p', { id: 'import-rate', class: 'muted' });
    fill(
      progressBox,
      el('label', { for: 'import-progress-bar' }, t('imports.progress.label'), ' ', progressText),
      bar,
      rateText
    );
  }
  progressBox.hidden = false;
  const p = j.progress || {};
  const total = p.totalEstimate || 0;
  const processed = p.processed || 0;
  if (total > 0) {
    bar.max = total;
    bar.value = Math.min(processed, total);
  } else {
    // nothing known of the total yet: an indeterminate bar
    bar.removeAttribute('value');
  }
  progressText.textContent =
    j.status === 'READING'
      ? t('imports.progress.reading', { 0: count(p.rowsRead || 0), 1: count(processed) })
      : total > 0
        ? t('imports.progress.processing', { 0: count(processed), 1: count(total) })
        : t('imports.progress.processed', { 0: count(processed) });
  const parts = [];
  if (p.rowsPerSecond !== undefined && p.rowsPerSecond !== null) {
    parts.push(t('imports.progress.rate', { 0: decimal(p.rowsPerSecond, 1) }));
  }
  if (p.etaSeconds !== undefined && p.etaSeconds !== null) {
    parts.push(t('imports.progress.eta', { 0: duration(p.etaSeconds) }));
  }
  rateText.textContent = parts.join(' · ');
}

/** Seconds as "1 h 5 min", "3 min 20 s" or "12 s". */
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) {
    return t('imports.duration.hm', { 0: count(h), 1: m });
  }
  if (m > 0) {
    return t('imports.duration.ms', { 0: m, 1: r });
  }
  return t('imports.duration.s', { 0: r });
}

/** Follows the import until it is done: the event stream, or polling without it. */
/** Set when the progress stream was refused or broke for good: from then on the page polls. */
let streamRefused = false;

function follow() {
  if (stream || pollTimer) {
    return;
  }
  if (can('streamImportProgress') && 'EventSource' in window && !streamRefused) {
    stream = new EventSource('/api/v1' + base + '/progress');
    stream.addEventListener('progress', (e) => {
      try {
        show(JSON.parse(e.data));
      } catch (err) {
        sayError(err);
      }
    });
    stream.addEventListener('completed', () => {
      stop();
      reload(true);
    });
    stream.onerror = () => {
      // the browser reconnects by itself unless the stream was refused; then poll instead
      if (stream && stream.readyState === EventSource.CLOSED) {
        streamRefused = true;
        stop();
        poll();
      }
    };
  } else {
    poll();
  }
}

function poll() {
  pollTimer = setTimeout(async () => {
    pollTimer = null;
    await reload(false);
  }, POLL_MILLIS);
}

function stop() {
  if (stream) {
    stream.close();
    stream = null;
  }
  if (pollTimer) {
    clearTimeout(pollTimer);
    pollTimer = null;
  }
}

/** Reads the import again; follows it on while it runs, says so when it has just finished. */
async function reload(finished) {
  const wasRunning = job && inFlight(job);
  try {
    const j = await api(base);
    show(j);
    if (inFlight(j)) {
      follow();
    } else if (finished || wasRunning) {
      say(t('imports.finished', { 0: word('imports.status.' + j.status, j.status) }), j.status === 'FAILED');
    }
  } catch (e) {
    sayError(e);
    if (job && inFlight(job)) {
      // keep trying: the hub may be restarting
      poll();
    }
  }
}

window.addEventListener('pagehide', stop);

// ---------------------------------------------------------------- downloads and rollback

function showActions(j) {
  const running = inFlight(j);
  const c = j.counts || {};
  const links = [];
  if (!running && can('getImportReportXlsx')) {
    links.push(
      el('a', { class: 'button secondary', id: 'download-report', href: '/api/v1' + base + '/report.xlsx', download: '' }, t('imports.download.report'))
    );
    if (c.rejected > 0) {
      links.push(
        el(
          'a',
          { class: 'button secondary', id: 'download-rejected', href: '/api/v1' + base + '/report.xlsx?only=rejected', download: '' },
          t('imports.download.rejected')
        )
      );
    }
    if (c.warnings > 0) {
      links.push(
        el(
          'a',
          { class: 'button secondary', id: 'download-warnings', href: '/api/v1' + base + '/report.xlsx?only=warnings', download: '' },
          t('imports.download.warnings')
        )
      );
    }
  }
  if (!running && can('getImportRows')) {
    links.push(el('a', { class: 'button secondary', id: 'download-rows', href: '/api/v1' + base + '/rows', download: '' }, t('imports.download.rows')));
  }
  const rollback =
    j.status === 'COMPLETED' && can('rollbackImport')
      ? el('button', { type: 'button', id: 'rollback', class: 'danger', onclick: rollBack }, t('imports.rollback'))
      : null;
  fill(
    actions,
    c.rejected > 0 && links.length ? el('p', { class: 'muted' }, t('imports.download.rejected.hint')) : null,
    links.length || rollback ? el('div', { class: 'actions' }, links, rollback) : null
  );
  actionsSection.hidden = !(links.length || rollback || rollbackResult.childNodes.length);
}

async function rollBack() {
  const button = document.getElementById('rollback');
  const reason = await askReason(t('imports.rollback.title', { 0: job.fileName }), t('imports.rollback'));
  if (reason === null) {
    button?.focus();
    return;
  }
  if (reason.length > 500) {
    say(t('imports.rollback.too-long'), true);
    button?.focus();
    return;
  }
  if (button) {
    button.disabled = true;
  }
  try {
    const done = await api(base + '/rollback', { method: 'POST', json: { reason } });
    fill(
      rollbackResult,
      el('h3', { id: 'rollback-h', tabindex: '-1' }, t('imports.rollback.done')),
      el(
        'dl',
        { class: 'facts', id: 'rollback-facts' },
        fact(t('imports.rolled-back'), t('imports.rolled-back.by', { 0: when(done.rolledBackAt), 1: done.rolledBackBy })),
        fact(t('imports.rollback.restored'), count((done.membersRestored || []).length)),
        fact(t('imports.rollback.withdrawn'), count((done.membersWithdrawn || []).length)),
        fact(t('imports.rollback.records-removed'), count(done.recordsRemoved)),
        fact(t('imports.rollback.records-restored'), count(done.recordsRestored)),
        done.recordsKept !== undefined && done.recordsKept !== null ? fact(t('imports.rollback.records-kept'), count(done.recordsKept)) : null,
        fact(t('imports.rollback.merges'), count(done.mergesUndone)),
        fact(t('imports.rollback.reviews'), count(done.reviewsWithdrawn))
      )
    );
    say(t('imports.rollback.done'));
    await reload(false);
    actionsSection.hidden = false;
    document.getElementById('rollback-h')?.focus();
  } catch (e) {
    sayError(e);
    if (button) {
      button.disabled = false;
      button.focus();
    }
  }
}

// ---------------------------------------------------------------- the row report

/**
 * A CSV reader fed in pieces (RFC 4180: fields in double quotes may hold commas, quotes written
 * twice and line breaks); calls onRecord with each record's fields. A record ends at a line feed
 * outside quotes; a carriage return before it is dropped.
 */
class CsvReader {
  constructor(onRecord) {
    this.onRecord = onRecord;
    this.record = [];
    this.field = '';
    this.started = false;
    this.quoted = false;
    this.quoteSeen = false;
  }

  push(text) {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false; // the quote closed the field; ch is read as outside quotes
        } else if (ch === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          this.field += ch;
          continue;
        }
      }
      if (ch === '"' && !this.started) {
        this.quoted = true;
        this.started = true;
      } else if (ch === ',') {
        this.record.push(this.field);
        this.field = '';
        this.started = false;
      } else if (ch === '\n') {
        this.endRecord();
      } else if (ch !== '\r') {
        this.field += ch;
        this.started = true;
      }
    }
  }

  end() {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.quoted = false;
    }
    if (this.started || this.field !== '' || this.record.length > 0) {
      this.endRecord();
    }
  }

  endRecord() {
    this.record.push(this.field);
    const record = this.record;
    this.record = [];
    this.field = '';
    this.started = false;
    this.quoted = false;
    this.onRecord(record);
  }
}

/**
 * Reads the row report as it streams and keeps the rejected rows and those with warnings, the
 * first SHOWN_ROWS of them; stops reading there.
 */
async function problemRows() {
  const response = await api(base + '/rows', { raw: true });
  const found = [];
  let columns = null;
  let full = false;
  const reader = new CsvReader((record) => {
    if (full) {
      return;
    }
    if (!columns) {
      columns = Object.fromEntries(record.map((name, i) => [name.trim(), i]));
      return;
    }
    const get = (name) => plain(columns[name] === undefined ? '' : record[columns[name]] || '');
    const row = {
      row: Number(get('row')),
      sourceRecordId: get('source_record_id'),
      outcome: get('outcome'),
      memberId: get('member_id'),
      error: get('error'),
      warnings: get('warnings'),
    };
    if (row.outcome === 'rejected' || row.warnings) {
      found.push(row);
      full = found.length >= SHOWN_ROWS;
    }
  });
  if (response.body && response.body.getReader && 'TextDecoder' in window) {
    const body = response.body.getReader();
    const decoder = new TextDecoder('utf-8');
    for (;;) {
      const { done, value } = await body.read();
      if (done) {
        reader.push(decoder.decode());
        break;
      }
      reader.push(decoder.decode(value, { stream: true }));
      if (full) {
        await body.cancel();
        return { rows: found, cut: true };
      }
    }
  } else {
    reader.push(await response.text());
  }
  reader.end();
  return { rows: found, cut: full };
}

/**
 * A cell as it was: the report writes a cell a spreadsheet would take for a formula (=, +, -, @)
 * with a leading apostrophe; on the page it is only text.
 */
function plain(value) {
  return value.length > 1 && value[0] === "'" && '=+-@\t\r'.includes(value[1]) ? value.slice(1) : value;
}

/** The hub's "中文 / English" messages joined with "; ", each in the reader's language. */
function messages(text) {
  if (!text) {
    return '';
  }
  const parts = text.split('; ').filter((m) => m.trim());
  return parts.length > 1 ? el('ul', { class: 'plain' }, parts.map((m) => el('li', null, localized(m)))) : localized(text);
}

/**
 * The rejected rows and those with warnings, read from the row report when the reader asks: the
 * report names the members of the import's rows, and each reading of it is in the access log.
 */
function showRows(j) {
  if (!can('getImportRows') || j.status === 'FAILED') {
    // a failed import imported nothing: its error says why
    rowsSection.hidden = true;
    return;
  }
  rowsSection.hidden = false;
  const c = j.counts || {};
  const expected = (c.rejected || 0) + (c.warnings || 0);
  if (expected === 0) {
    fill(rowsBox, el('p', { class: 'ok', id: 'import-rows-none' }, t('imports.rows.clean')));
    return;
  }
  fill(
    rowsBox,
    el('p', { class: 'muted' }, t('imports.rows.to-show', { 0: count(c.rejected || 0), 1: count(c.warnings || 0) })),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', id: 'show-rows', class: 'secondary', onclick: () => readRows(expected) }, t('imports.rows.show'))
    )
  );
}

async function readRows(expected) {
  const button = document.getElementById('show-rows');
  if (button) {
    button.disabled = true;
  }
  rowsBox.setAttribute('aria-busy', 'true');
  try {
    const { rows, cut } = await problemRows();
    fill(
      rowsBox,
      cut ? el('p', { class: 'muted' }, t('imports.rows.first', { 0: count(rows.length), 1: count(expected) })) : null,
      rows.length === 0
        ? el('p', { class: 'ok', id: 'import-rows-none' }, t('imports.rows.clean'))
        : el(
            'div',
            { id: 'import-rows-table', tabindex: '-1' },
            table(
              [
                { label: t('imports.row'), num: true, value: (r) => count(r.row) },
                { label: t('imports.source-record'), value: (r) => r.sourceRecordId },
                {
                  label: t('imports.outcome'),
                  value: (r) =>
                    el(
                      'span',
                      { class: 'badge' + (r.outcome === 'rejected' ? ' bad' : ''), dataset: { outcome: r.outcome } },
                      word('imports.outcome.' + r.outcome, r.outcome)
                    ),
                },
                { label: t('imports.error'), value: (r) => messages(r.error) },
                { label: t('imports.warnings'), value: (r) => messages(r.warnings) },
              ],
              rows,
              t('imports.detail.rows')
            )
          )
    );
    (document.getElementById('import-rows-table') || document.getElementById('import-rows-none'))?.focus();
  } catch (e) {
    sayError(e);
    if (button) {
      button.disabled = false;
    }
  } finally {
    rowsBox.setAttribute('aria-busy', 'false');
  }
}

// ---------------------------------------------------------------- start

if (params().repeat) {
  const notice = document.getElementById('import-notice');
  notice.textContent = t('imports.repeat');
  notice.hidden = false;
}

(async () => {
  try {
    const j = await api(base);
    show(j);
    if (inFlight(j)) {
      follow();
    }
  } catch (e) {
    summary.setAttribute('aria-busy', 'false');
    fill(summary, el('p', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
  }
})();

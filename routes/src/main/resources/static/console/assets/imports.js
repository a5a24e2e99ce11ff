// Imports: upload a member export through a preview (what each column holds, the first rows, the
// rows that would be rejected; the mapping corrected column by column), confirm it, and the list of
// imports so far, filtered by source, status and date, kept in the address.
// API: POST /api/v1/imports/previews, PUT /previews/{id}/mapping, POST /previews/{id}/confirm,
// GET /api/v1/imports.
import {
  api,
  can,
  count,
  el,
  field,
  fill,
  localized,
  midnight,
  params,
  remember,
  say,
  sayError,
  select,
  t,
  table,
  when,
  word,
} from './console.js';

const STATUSES = ['READING', 'PROCESSING', 'COMPLETED', 'FAILED', 'ROLLED_BACK'];

/** MemberFieldChoice, in the contract's order. */
const FIELDS = [
  'NAME', 'FIRST_NAME', 'LAST_NAME', 'NICKNAME', 'MOBILE', 'EMAIL', 'GENDER', 'BIRTHDAY',
  'PROVINCE', 'CITY', 'DISTRICT', 'ADDRESS', 'MEMBER_CARD', 'EXTERNAL_ID', 'WECHAT_OPENID',
  'WECHAT_UNIONID', 'NATIONAL_ID', 'UPDATED_AT', 'ORDERS', 'SPENT', 'LAST_PURCHASE_AT', 'STORE',
  'IGNORE',
];

const PAGE = 50;

/** The badge of an import's status. */
function statusBadge(status) {
  const tone = status === 'COMPLETED' ? ' good' : status === 'FAILED' ? ' bad' : '';
  return el('span', { class: 'badge' + tone, dataset: { status } }, word('imports.status.' + status, status));
}

// ---------------------------------------------------------------- upload, preview and mapping

const uploadSection = document.getElementById('upload-section');
const uploadForm = document.getElementById('upload-form');
const previewButton = document.getElementById('preview');
const previewBox = document.getElementById('preview-result');

/** The preview on screen. */
let preview = null;
let busy = false;

function setBusy(on) {
  busy = on;
  previewBox.setAttribute('aria-busy', on ? 'true' : 'false');
  previewButton.disabled = on;
  previewBox.querySelectorAll('select, button, input').forEach((c) => {
    if (c.dataset.locked !== 'true') {
      c.disabled = on;
    }
  });
}

async function createPreview(event) {
  event.preventDefault();
  if (busy) {
    return;
  }
  const source = document.getElementById('upload-source').value.trim();
  const file = document.getElementById('upload-file').files[0];
  const sheet = document.getElementById('upload-sheet').value.trim();
  if (!file) {
    say(t('imports.upload.no-file'), true);
    return;
  }
  const form = new FormData();
  form.append('file', file, file.name);
  form.append('source', source);
  if (sheet) {
    form.append('sheet', sheet);
  }
  fill(previewBox, el('p', { class: 'muted' }, t('imports.preview.reading')));
  setBusy(true);
  try {
    preview = await api('/imports/previews', { method: 'POST', form });
    showPreview();
    document.getElementById('preview-h')?.focus();
  } catch (e) {
    preview = null;
    fill(previewBox, el('p', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
  } finally {
    setBusy(false);
  }
}

/** Puts the preview on screen; focus returns to the mapping select that had it, if any. */
function showPreview(focusId) {
  const p = preview;
  const choices = new Map((p.mapping || []).map((c) => [c.header, c]));
  const headers = p.headers && p.headers.length ? p.headers : (p.mapping || []).map((c) => c.header);
  const editable = can('correctImportPreviewMapping');
  const first = (p.sampleRows || [])[0];

  const facts = el(
    'dl',
    { class: 'facts' },
    fact(t('common.source'), p.source),
    fact(t('imports.file'), p.fileName),
    fact(t('imports.format'), [p.format, p.encoding ? ' · ' + p.encoding : '']),
    p.sheet
      ? fact(
          t('imports.sheet'),
          p.sheets && p.sheets.length > 1 ? t('imports.sheet.of', { 0: p.sheet, 1: p.sheets.join(', ') }) : p.sheet
        )
      : null,
    p.rowsEstimate !== undefined && p.rowsEstimate !== null ? fact(t('imports.rows.estimate'), count(p.rowsEstimate)) : null,
    fact(t('imports.rows.checked'), count(p.rowsChecked)),
    fact(t('imports.preview.rejected'), el('span', { id: 'preview-rejected', dataset: { value: p.rejectedCount } }, count(p.rejectedCount))),
    fact(t('imports.preview.warnings'), el('span', { id: 'preview-warnings', dataset: { value: p.warningCount } }, count(p.warningCount))),
    fact(t('imports.preview.expires'), when(p.expiresAt))
  );

  const mappingTable = table(
    [
      { label: t('imports.mapping.column'), value: (h) => h.header },
      { label: t('imports.mapping.example'), value: (h) => (first && first.cells ? first.cells[h.header] || '' : '') },
      {
        label: t('imports.mapping.field'),
        value: (h) => {
          const chosen = choices.get(h.header);
          const current = chosen ? chosen.field : 'IGNORE';
          const control = select(
            FIELDS.map((f) => ({ value: f, label: word('imports.field.' + f, f) })),
            current,
            {
              id: 'map-' + h.i,
              'aria-label': t('imports.mapping.for', { 0: h.header }),
              dataset: { header: h.header, current, locked: editable ? 'false' : 'true' },
              disabled: !editable,
            }
          );
          control.addEventListener('change', () => correct(control));
          return control;
        },
      },
      {
        label: t('imports.mapping.decided'),
        value: (h) => {
          const by = choices.get(h.header)?.decidedBy;
          return by ? word('imports.decided.' + by, by) : '';
        },
      },
    ],
    headers.map((header, i) => ({ header, i })),
    t('imports.mapping.title')
  );

  const samples = table(
    [{ label: t('imports.row'), num: true, value: (r) => count(r.row) }]
      .concat(headers.map((h) => ({ label: h, value: (r) => (r.cells ? r.cells[h] || '' : '') })))
      .concat([
        { label: t('imports.preview.standardized'), value: (r) => standardized(r.standardized) },
        { label: t('imports.warnings'), value: (r) => messages(r.warnings) },
      ]),
    p.sampleRows || [],
    t('imports.preview.samples')
  );

  const rejected = table(
    [
      { label: t('imports.row'), num: true, value: (r) => count(r.row) },
      { label: t('imports.error'), value: (r) => messages(r.errors) },
      {
        label: t('imports.preview.cells'),
        value: (r) =>
          headers
            .filter((h) => r.cells && r.cells[h])
            .map((h) => h + ': ' + r.cells[h])
            .join(' · '),
      },
    ],
    p.rejectedRows || [],
    t('imports.preview.rejected.title')
  );

  const confirmable = p.canImport && can('confirmImportPreview');
  const saveBox = el('input', { type: 'checkbox', id: 'save-template' });

  fill(
    previewBox,
    el('h3', { id: 'preview-h', tabindex: '-1' }, t('imports.preview.title', { 0: p.fileName })),
    facts,
    p.canImport ? null : el('p', { class: 'error', id: 'preview-problem' }, localized(p.problem) || t('imports.preview.cannot')),
    p.unmappedColumns && p.unmappedColumns.length
      ? el('p', { class: 'warn' }, t('imports.unmapped', { 0: p.unmappedColumns.join(', ') }))
      : null,
    el('h3', null, t('imports.mapping.title')),
    editable ? el('p', { class: 'muted' }, t('imports.mapping.intro')) : null,
    el('div', { id: 'preview-mapping' }, mappingTable),
    el('h3', null, t('imports.preview.samples')),
    el('div', { id: 'preview-samples' }, samples),
    el('h3', null, t('imports.preview.rejected.title')),
    p.rejectedCount > (p.rejectedRows || []).length
      ? el('p', { class: 'muted' }, t('imports.preview.rejected.first', { 0: count((p.rejectedRows || []).length), 1: count(p.rejectedCount) }))
      : null,
    el('div', { id: 'preview-rejected-rows' }, rejected),
    confirmable
      ? el(
          'div',
          { class: 'actions' },
          el('div', { class: 'field' }, saveBox, el('label', { for: 'save-template' }, t('imports.save-template', { 0: p.source }))),
          el('button', { type: 'button', id: 'confirm', onclick: confirm }, t('imports.confirm'))
        )
      : null
  );
  if (focusId) {
    document.getElementById(focusId)?.focus();
  }
}

function fact(label, value) {
  return [el('dt', null, label), el('dd', null, value)];
}

/** Messages written "中文 / English", one per line, in the reader's language. */
function messages(list) {
  if (!list || list.length === 0) {
    return '';
  }
  return el('ul', { class: 'plain' }, list.map((m) => el('li', null, localized(m))));
}

/** The values as matching sees them. */
function standardized(values) {
  const entries = Object.entries(values || {});
  if (entries.length === 0) {
    return '';
  }
  return el(
    'ul',
    { class: 'plain' },
    entries.map(([k, v]) => el('li', null, word('imports.std.' + k, k) + ': ' + v))
  );
}

/** Sends one column's new meaning; the preview comes back read again with it. */
async function correct(control) {
  const header = control.dataset.header;
  const previous = control.dataset.current;
  setBusy(true);
  try {
    preview = await api('/imports/previews/' + encodeURIComponent(preview.id) + '/mapping', {
      method: 'PUT',
      json: { mapping: [{ header, field: control.value }] },
    });
    busy = false;
    showPreview(control.id);
    say(t('imports.mapping.saved', { 0: header, 1: word('imports.field.' + control.value, control.value) }));
  } catch (e) {
    control.value = previous;
    sayError(e);
  } finally {
    setBusy(false);
  }
}

async function confirm() {
  const button = document.getElementById('confirm');
  const save = document.getElementById('save-template')?.checked || false;
  setBusy(true);
  try {
    const response = await api('/imports/previews/' + encodeURIComponent(preview.id) + '/confirm', {
      method: 'POST',
      json: { saveAsTemplate: save },
      raw: true,
    });
    const job = await response.json();
    // 200: the same file came from this source before, and the answer is that first import
    window.location.assign('/console/imports/' + encodeURIComponent(job.id) + (response.status === 200 ? '?repeat=1' : ''));
  } catch (e) {
    sayError(e);
    setBusy(false);
    button?.focus();
  }
}

if (can('createImportPreview')) {
  uploadSection.hidden = false;
  uploadForm.addEventListener('submit', createPreview);
}

// ---------------------------------------------------------------- the list of imports

const filters = document.getElementById('imports-filters');
const list = document.getElementById('imports-list');
const more = document.getElementById('imports-more');

const DATE = /^\d{4}-\d{2}-\d{2}$/;

let shown = [];
let next = null;

const wanted = params();
const sourceInput = el('input', { id: 'filter-source', type: 'text', maxlength: 64, value: wanted.source || '', autocomplete: 'off' });
const statusSelect = select(
  [{ value: '', label: t('common.all') }].concat(STATUSES.map((s) => ({ value: s, label: word('imports.status.' + s, s) }))),
  STATUSES.includes(wanted.status) ? wanted.status : '',
  { id: 'filter-status' }
);
const fromInput = el('input', { id: 'filter-from', type: 'date', value: DATE.test(wanted.from || '') ? wanted.from : '' });
const toInput = el('input', { id: 'filter-to', type: 'date', value: DATE.test(wanted.to || '') ? wanted.to : '' });

fill(
  filters,
  field(t('common.source'), sourceInput),
  field(t('common.status'), statusSelect),
  field(t('common.from'), fromInput),
  field(t('common.to'), toInput),
  el(
    'div',
    { class: 'actions' },
    el('button', { type: 'submit', id: 'filter-apply' }, t('common.filter')),
    el(
      'button',
      {
        type: 'button',
        id: 'filter-clear',
        class: 'secondary',
        onclick: () => {
          sourceInput.value = '';
          statusSelect.value = '';
          fromInput.value = '';
          toInput.value = '';
          apply();
        },
      },
      t('common.clear')
    )
  )
);
filters.addEventListener('submit', (e) => {
  e.preventDefault();
  apply();
});
more.addEventListener('click', () => load(true));

/** The filters as they stand, as the address keeps them. */
function current() {
  return {
    source: sourceInput.value.trim(),
    status: statusSelect.value,
    from: DATE.test(fromInput.value) ? fromInput.value : '',
    to: DATE.test(toInput.value) ? toInput.value : '',
  };
}

function apply() {
  remember(current());
  load(false);
}

/** The filters of the list shown: "more" pages on with these, not with fields edited since. */
let applied = null;

async function load(append) {
  if (!append || applied === null) {
    applied = current();
  }
  const f = applied;
  const query = {
    source: f.source,
    status: f.status,
    from: f.from ? midnight(f.from) : '',
    // "to" is the last day shown: imports created before the next day's midnight
    to: f.to ? midnight(f.to, 1) : '',
    limit: PAGE,
    after: append ? next : '',
  };
  list.setAttribute('aria-busy', 'true');
  more.disabled = true;
  try {
    const page = await api('/imports', { params: query });
    const firstNew = append ? shown.length : 0;
    shown = append ? shown.concat(page.items) : page.items;
    next = page.next || null;
    showList();
    if (append) {
      // focus moves to the first import the page brought, not back to the top
      list.querySelectorAll('tbody a')[firstNew]?.focus();
    }
  } catch (e) {
    sayError(e);
    if (!append) {
      fill(list, el('p', { class: 'error' }, t('common.error', { 0: e.message })));
    }
  } finally {
    list.setAttribute('aria-busy', 'false');
    more.disabled = false;
    more.hidden = !next;
  }
}

function showList() {
  fill(
    list,
    table(
      [
        {
          label: t('imports.created'),
          value: (j) => el('a', { href: '/console/imports/' + encodeURIComponent(j.id), dataset: { import: j.id } }, when(j.createdAt)),
        },
        { label: t('common.source'), value: (j) => j.source },
        { label: t('imports.file'), value: (j) => j.fileName },
        { label: t('common.status'), value: (j) => statusBadge(j.status) },
        { label: t('imports.count.rows'), num: true, value: (j) => count(j.counts?.rows) },
        { label: t('imports.count.created'), num: true, value: (j) => count(j.counts?.created) },
        { label: t('imports.count.merged'), num: true, value: (j) => count(j.counts?.merged) },
        { label: t('imports.count.rejected'), num: true, value: (j) => count(j.counts?.rejected) },
        { label: t('imports.count.warnings'), num: true, value: (j) => count(j.counts?.warnings) },
      ],
      shown,
      t('imports.list.title')
    ),
    el('p', { class: 'muted', id: 'imports-count' }, t('imports.list.count', { 0: count(shown.length) }))
  );
}

load(false);

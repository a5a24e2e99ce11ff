// Member search: by mobile number (any common format) or by the staff member who serves the
// customers (a WeCom userid, optionally of one system), each result linking to its member 360;
// a member can also be opened by its id. GET /api/v1/members?phone= | ?servedBy=&source=.
import {
  UUID,
  api,
  count,
  el,
  field,
  fill,
  params,
  remember,
  sayError,
  t,
  table,
  when,
} from './console.js';

const PAGE = 50;

const given = params();
const searchBox = document.getElementById('search');
const summaryBox = document.getElementById('summary');
const resultsBox = document.getElementById('results');
const moreBox = document.getElementById('more');

const phoneInput = el('input', {
  id: 'phone',
  name: 'phone',
  type: 'tel',
  maxlength: 40,
  autocomplete: 'off',
  required: true,
  value: given.phone || '',
});
const staffInput = el('input', {
  id: 'served-by',
  name: 'servedBy',
  type: 'text',
  maxlength: 64,
  autocomplete: 'off',
  required: true,
  value: given.servedBy || '',
});
const staffSourceInput = el('input', {
  id: 'staff-source',
  name: 'source',
  type: 'text',
  maxlength: 64,
  autocomplete: 'off',
  value: given.source || '',
});
const idInput = el('input', {
  id: 'member-id',
  name: 'id',
  type: 'text',
  maxlength: 36,
  autocomplete: 'off',
  required: true,
  pattern: UUID,
  spellcheck: 'false',
});

function form(id, title, submitLabel, onsubmit, ...fields) {
  return el(
    'form',
    {
      id,
      class: 'card',
      role: 'search',
      'aria-label': title,
      onsubmit: (e) => {
        e.preventDefault();
        onsubmit();
      },
    },
    el('h3', null, title),
    el('div', { class: 'filters' }, fields, el('button', { type: 'submit' }, submitLabel))
  );
}

fill(
  searchBox,
  form(
    'by-phone',
    t('members.search.by-phone'),
    t('members.search.find'),
    () => {
      staffInput.value = '';
      staffSourceInput.value = '';
      start({ phone: phoneInput.value.trim() });
    },
    field(t('members.search.phone'), phoneInput)
  ),
  form(
    'by-staff',
    t('members.search.by-staff'),
    t('members.search.find'),
    () => {
      phoneInput.value = '';
      start({ servedBy: staffInput.value.trim(), source: staffSourceInput.value.trim() });
    },
    field(t('members.search.servedBy'), staffInput),
    field(t('members.search.staff-source'), staffSourceInput)
  ),
  form(
    'by-id',
    t('members.search.by-id'),
    t('members.search.open'),
    () => window.location.assign('/console/members/' + encodeURIComponent(idInput.value.trim().toLowerCase())),
    field(t('members.search.id'), idInput)
  )
);

let search = null;
let found = [];
let next = null;

function start(q) {
  search = q;
  found = [];
  next = null;
  // a phone number is personal data: it stays out of the address bar and the browser's history
  remember(q.phone ? {} : q);
  more();
}

async function more() {
  resultsBox.setAttribute('aria-busy', 'true');
  fill(summaryBox, t('common.loading'));
  try {
    const page = await api('/members', { params: { ...search, after: next, limit: PAGE } });
    found = found.concat(page.items || []);
    next = page.next || null;
    show();
  } catch (e) {
    sayError(e);
    fill(summaryBox, el('span', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
  } finally {
    resultsBox.setAttribute('aria-busy', 'false');
  }
}

function phones(m) {
  return (m.identifiers || []).filter((i) => i.type === 'MOBILE').map((i) => i.value);
}

function show() {
  fill(summaryBox, t(next ? 'members.found.more' : 'members.found', { n: count(found.length) }));
  fill(
    resultsBox,
    table(
      [
        {
          label: t('members.col.member'),
          value: (m) => [
            el('a', { href: '/console/members/' + m.id, dataset: { member: m.id } }, m.name || t('members.noname')),
            el('span', { class: 'member-id muted' }, m.id),
          ],
        },
        { label: t('members.col.mobile'), value: (m) => phones(m).map((p) => el('div', null, p)) },
        {
          label: t('members.col.systems'),
          value: (m) => [...new Set((m.sourceRecords || []).map((r) => r.source))].join(', '),
        },
        { label: t('members.col.records'), num: true, value: (m) => count((m.sourceRecords || []).length) },
        { label: t('members.col.tags'), value: (m) => (m.tags || []).map((x) => el('span', { class: 'badge' }, x.name)) },
        { label: t('members.col.updated'), value: (m) => when(m.updatedAt) },
      ],
      found,
      t('members.results')
    )
  );
  fill(
    moreBox,
    next ? el('button', { type: 'button', id: 'more-results', class: 'secondary', onclick: more }, t('common.more')) : null
  );
}

if (given.phone) {
  start({ phone: given.phone });
} else if (given.servedBy) {
  start({ servedBy: given.servedBy, source: given.source || '' });
} else {
  fill(summaryBox, t('members.search.hint'));
}

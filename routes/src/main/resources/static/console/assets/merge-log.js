// Merge log: entries filtered by member, action, actor and time (GET /api/v1/merge-log), the same
// filters exported as CSV (GET /api/v1/merge-log/export, auditors), and the chain check
// (GET /api/v1/merge-log/verify) with its result in words.
import {
  api,
  can,
  count,
  el,
  field,
  fill,
  isUuid,
  midnight,
  params,
  query,
  remember,
  say,
  sayError,
  select,
  t,
  when,
} from './console.js';

const ACTIONS = [
  'NEW_MEMBER', 'MERGE', 'UNMERGE', 'REVIEW_DECISION', 'MANUAL_MERGE', 'ROLLBACK',
  'RECORD_WITHDRAWN', 'ERASURE', 'RECORD_ERASED', 'MODEL_ACTIVATED', 'STAFF_HANDOVER',
];

const form = document.getElementById('filters');
const list = document.getElementById('entries');
const more = document.getElementById('more');
const start = params();

const member = el('input', { name: 'member', value: start.member || '', size: 38, spellcheck: 'false' });
const action = select(
  [{ value: '', label: t('common.all') }].concat(ACTIONS.map((a) => ({ value: a, label: t('action.' + a) }))),
  start.action || '',
  { name: 'action' }
);
const actor = el('input', { name: 'actor', value: start.actor || '', size: 16 });
const from = el('input', { name: 'from', type: 'date', value: start.from || '' });
const to = el('input', { name: 'to', type: 'date', value: start.to || '' });
const exportLink = el('a', { class: 'button secondary', id: 'export', href: '/api/v1/merge-log/export', download: '' }, t('mergelog.export'));

fill(
  form,
  field(t('mergelog.member'), member),
  field(t('mergelog.action'), action),
  field(t('mergelog.actor'), actor),
  field(t('common.from'), from),
  field(t('common.to'), to),
  el('div', { class: 'field' }, el('button', { type: 'submit' }, t('common.filter'))),
  can('exportMergeLog') ? el('div', { class: 'field' }, exportLink) : null
);

/** The filters as the API takes them: days from the date inputs at local midnight. */
function filters() {
  return {
    member: member.value.trim() || undefined,
    action: action.value || undefined,
    actor: actor.value.trim() || undefined,
    from: midnight(from.value),
    to: midnight(to.value, 1), // the whole of the "to" day
  };
}

let after = null;
let shown = 0;
let body = null;
/** The filters of the list shown: "more" pages on with these, not with fields edited since. */
let applied = {};

async function load(reset) {
  if (reset) {
    const f = filters();
    if (f.member && !isUuid(f.member)) {
      say(t('mergelog.bad-member'), true);
      member.focus();
      return;
    }
    applied = f;
    after = null;
    shown = 0;
    remember({ member: member.value.trim(), action: action.value, actor: actor.value.trim(), from: from.value, to: to.value });
    exportLink.setAttribute('href', '/api/v1/merge-log/export' + query(f));
  }
  try {
    const page = await api('/merge-log', { params: { ...applied, after, limit: 100 } });
    if (reset) {
      body = el('tbody');
      fill(
        list,
        el('p', { class: 'muted', id: 'entry-count' }),
        el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            null,
            el('caption', { class: 'sr-only' }, t('menu.merge-log')),
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                [t('mergelog.seq'), t('common.time'), t('mergelog.action'), t('mergelog.members'), t('mergelog.records'), t('mergelog.actor'), t('mergelog.evidence')].map(
                  (h) => el('th', { scope: 'col' }, h)
                )
              )
            ),
            body
          )
        )
      );
    }
    for (const e of page.items) {
      body.append(row(e));
    }
    shown += page.items.length;
    document.getElementById('entry-count').textContent = t('mergelog.count', { n: count(shown) });
    after = page.next ?? null;
    more.hidden = after === null;
  } catch (e) {
    sayError(e);
  }
}

function row(e) {
  return el(
    'tr',
    { dataset: { seq: e.seq, action: e.action } },
    el('td', { class: 'num' }, String(e.seq)),
    el('td', null, when(e.at)),
    el('td', null, el('span', { class: 'badge' }, t('action.' + e.action))),
    el(
      'td',
      null,
      e.memberIds.map((id, i) => [i ? el('br') : null, el('a', { href: '/console/members/' + id }, id.slice(0, 8))])
    ),
    el('td', null, e.sourceRecords.map((r, i) => [i ? el('br') : null, r])),
    el('td', null, e.actor),
    el(
      'td',
      null,
      el('details', null, el('summary', null, t('mergelog.evidence.show')), el('pre', null, pretty(e.evidence)), el('p', { class: 'muted' }, t('mergelog.hash') + ': ' + e.hash))
    )
  );
}

function pretty(evidence) {
  if (typeof evidence === 'string') {
    try {
      return JSON.stringify(JSON.parse(evidence), null, 2);
    } catch (x) {
      return evidence;
    }
  }
  return JSON.stringify(evidence, null, 2);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  load(true);
});
more.addEventListener('click', () => load(false));

const verifyButton = document.getElementById('verify');
const verifyResult = document.getElementById('verify-result');
if (!can('verifyMergeLog')) {
  verifyButton.closest('section').hidden = true;
}
verifyButton.addEventListener('click', async () => {
  verifyButton.disabled = true;
  verifyResult.className = '';
  verifyResult.textContent = t('mergelog.verify.running');
  try {
    const v = await api('/merge-log/verify');
    const lines = [];
    if (v.ok) {
      verifyResult.className = 'ok';
      lines.push(t('mergelog.verify.ok', { entries: count(v.entries), checkpoints: count(v.checkpointsChecked || 0) }));
    } else {
      verifyResult.className = 'error';
      lines.push(t('mergelog.verify.bad', { seq: v.firstBadSeq ?? '?', position: v.firstBadPosition ?? '?', problem: v.problem || '' }));
    }
    if (v.latestCheckpoint) {
      lines.push(t('mergelog.verify.latest', { position: v.latestCheckpoint.position, at: when(v.latestCheckpoint.at) }));
    }
    verifyResult.textContent = lines.join(' ');
  } catch (e) {
    verifyResult.textContent = '';
    sayError(e);
  } finally {
    verifyButton.disabled = false;
  }
});

load(true);

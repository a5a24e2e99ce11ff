// Member 360: the golden record with the lineage of every value (rule, reason and the source
// records it came from), the source records per system, tags with their reasons, purchases, the
// versions with what changed, the merge-log entries about the member, and the steward's actions:
// unmerge, manual merge, reveal, tags. The member is `subject` (from the address).
// GET /api/v1/members/{id}, /history, /api/v1/merge-log?member=; POST /unmerge, /merge, /reveal,
// /tags; DELETE /tags/{name}.
import {
  UUID,
  api,
  askReason,
  can,
  count,
  el,
  field,
  fill,
  isUuid,
  lang,
  localized,
  say,
  sayError,
  subject,
  t,
  table,
  when,
  word,
  yuan,
} from './console.js';

const ATTRIBUTES = ['name', 'gender', 'birthday', 'identifiers', 'addresses', 'consents', 'tags', 'servedBy', 'purchases'];
const HISTORY_SHOWN = 10;
const LOG_PAGE = 100;

const noticeBox = document.getElementById('merged-notice');
const headBox = document.getElementById('member-head');
const resultBox = document.getElementById('action-result');
const actionsSection = document.getElementById('actions-section');
const actionsBox = document.getElementById('actions');
const goldenBox = document.getElementById('golden');
const tagsBox = document.getElementById('tags');
const purchasesBox = document.getElementById('purchases');
const recordsBox = document.getElementById('records');
const historyBox = document.getElementById('history');
const logSection = document.getElementById('merge-log-section');
const logBox = document.getElementById('merge-log');

/** The member shown: the survivor when the address names a member merged away. */
let member = null;

function fact(label, value) {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    ? null
    : el('div', null, el('dt', null, label), el('dd', null, value));
}

function memberLink(id) {
  return el('a', { href: '/console/members/' + id, dataset: { member: id } }, id);
}

function genderWord(g) {
  return g ? word('gender.' + g, g) : '';
}

function identifierText(i) {
  return `${word('id.' + i.type, i.type)}: ${i.value}${i.scope ? ' (' + i.scope + ')' : ''}`;
}

function addressText(a) {
  return [a.province, a.city, a.district, a.line].filter((s) => s).join(' ');
}

function failed(box, e) {
  fill(box, el('p', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
}

// --- loading ------------------------------------------------------------------------------------

async function load() {
  headBox.setAttribute('aria-busy', 'true');
  try {
    member = await api('/members/' + encodeURIComponent(subject));
    render(false);
  } catch (e) {
    sayError(e);
    failed(headBox, e);
    actionsSection.hidden = true;
    [goldenBox, tagsBox, purchasesBox, recordsBox, historyBox, logBox].forEach((b) => fill(b));
    return;
  } finally {
    headBox.setAttribute('aria-busy', 'false');
  }
  loadHistory();
  loadLog();
}

/** Shows the member; revealed: the answer of revealMember, unmasked. */
function render(revealed) {
  showNotice();
  showHead(revealed);
  showActions();
  showGolden();
  showTags();
  showPurchases();
  showRecords();
}

function showNotice() {
  if (member.id !== subject) {
    fill(
      noticeBox,
      el(
        'p',
        { class: 'card warn', id: 'merged-into' },
        t('members.merged-into', { id: subject }),
        ' ',
        el('a', { href: '/console/members/' + member.id, id: 'survivor-link', dataset: { member: member.id } }, t('members.open-survivor', { id: member.id }))
      )
    );
  } else {
    fill(noticeBox);
  }
}

function showHead(revealed) {
  const mobiles = (member.identifiers || []).filter((i) => i.type === 'MOBILE').map((i) => i.value);
  fill(
    headBox,
    el(
      'div',
      { class: 'card member-head' },
      el('p', { class: 'member-name' }, member.name || t('members.noname')),
      revealed
        ? el(
            'p',
            { class: 'revealed', id: 'revealed' },
            el('span', { class: 'badge bad' }, t('members.revealed')),
            ' ',
            t('members.revealed.text'),
            ' ',
            el('button', { type: 'button', class: 'secondary', id: 'mask', onclick: () => load() }, t('members.mask'))
          )
        : null,
      el(
        'dl',
        { class: 'kv pair' },
        fact(t('members.attr.id'), el('span', { class: 'member-id', id: 'member-id' }, member.id)),
        fact(t('members.attr.version'), count(member.version)),
        fact(t('members.attr.gender'), member.gender && member.gender !== 'UNKNOWN' ? genderWord(member.gender) : null),
        fact(t('members.attr.birthday'), member.birthday),
        fact(t('id.MOBILE'), mobiles.length ? mobiles.join(', ') : null),
        fact(t('members.attr.sourceRecords'), count((member.sourceRecords || []).length)),
        fact(t('members.attr.createdAt'), when(member.createdAt)),
        fact(t('members.attr.updatedAt'), when(member.updatedAt)),
        fact(
          t('members.attr.mergedIds'),
          (member.mergedIds || []).map((id, i) => [i ? ', ' : null, memberLink(id)])
        )
      )
    )
  );
}

// --- actions ------------------------------------------------------------------------------------

/** Says the outcome of an action in the status line and beside the actions, then reloads. */
function done(message, ...extra) {
  say(message);
  fill(resultBox, el('span', { class: 'ok', id: 'action-outcome' }, message), extra.length ? ' ' : null, extra);
  resultBox.focus();
  return load();
}

function showActions() {
  const parts = [];
  if (can('unmergeMember')) {
    parts.push(unmergeAction());
  }
  if (can('mergeMembers')) {
    parts.push(mergeAction());
  }
  if (can('revealMember')) {
    parts.push(
      el(
        'div',
        { class: 'card action' },
        el('h3', null, t('members.reveal.heading')),
        el('p', { class: 'muted' }, t('members.reveal.intro')),
        el('button', { type: 'button', id: 'reveal', 'data-test': 'reveal', onclick: reveal }, t('members.reveal.button'))
      )
    );
  }
  actionsSection.hidden = parts.length === 0;
  fill(actionsBox, parts.length ? el('div', { class: 'member-actions' }, parts) : null);
}

function unmergeAction() {
  const records = member.sourceRecords || [];
  const error = el('p', { class: 'error', id: 'unmerge-error', role: 'alert' });
  const boxes = records.map((r, i) => {
    const value = `${r.source}:${r.sourceRecordId}`;
    const box = el('input', { type: 'checkbox', id: 'split-' + i, name: 'split', value, dataset: { test: 'split-record' } });
    return el(
      'div',
      { class: 'check' },
      box,
      el('label', { for: 'split-' + i }, value, r.name ? el('span', { class: 'muted' }, ' · ' + r.name) : null)
    );
  });
  const form = el(
    'form',
    {
      id: 'unmerge-form',
      hidden: true,
      onsubmit: (e) => {
        e.preventDefault();
        unmerge(form, error);
      },
    },
    el('fieldset', null, el('legend', null, t('members.unmerge.choose')), boxes),
    error,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'unmerge-submit', class: 'danger' }, t('members.unmerge.submit')))
  );
  const toggle = el(
    'button',
    {
      type: 'button',
      id: 'unmerge',
      'data-test': 'unmerge',
      'aria-expanded': 'false',
      'aria-controls': 'unmerge-form',
      disabled: records.length < 2,
      onclick: () => {
        form.hidden = !form.hidden;
        toggle.setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden) {
          form.querySelector('input')?.focus();
        }
      },
    },
    t('members.unmerge.button')
  );
  return el(
    'div',
    { class: 'card action' },
    el('h3', null, t('members.unmerge.heading')),
    el('p', { class: 'muted' }, t(records.length < 2 ? 'members.unmerge.one' : 'members.unmerge.intro')),
    toggle,
    form
  );
}

async function unmerge(form, error) {
  const chosen = [...form.querySelectorAll('input[name="split"]:checked')].map((b) => b.value);
  const all = form.querySelectorAll('input[name="split"]').length;
  if (chosen.length === 0) {
    error.textContent = t('members.unmerge.none');
    return;
  }
  if (chosen.length === all) {
    error.textContent = t('members.unmerge.all');
    return;
  }
  error.textContent = '';
  const reason = await askReason(t('members.unmerge.title', { n: count(chosen.length) }), t('members.unmerge.confirm'));
  if (!reason) {
    return;
  }
  try {
    const r = await api('/members/' + encodeURIComponent(member.id) + '/unmerge', {
      method: 'POST',
      json: { sourceRecords: chosen, reason },
    });
    await done(
      t('members.unmerge.done', { n: count(chosen.length), id: r.splitOff.id }),
      el('a', { href: '/console/members/' + r.splitOff.id, id: 'split-off-link', dataset: { member: r.splitOff.id } }, t('members.unmerge.open'))
    );
  } catch (e) {
    sayError(e);
    error.textContent = t('common.error', { 0: e.message });
  }
}

function mergeAction() {
  const other = el('input', {
    id: 'merge-other',
    name: 'otherMemberId',
    type: 'text',
    maxlength: 36,
    required: true,
    pattern: UUID,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const error = el('p', { class: 'error', id: 'merge-error', role: 'alert' });
  return el(
    'div',
    { class: 'card action' },
    el('h3', null, t('members.merge.heading')),
    el('p', { class: 'muted' }, t('members.merge.intro')),
    el(
      'form',
      {
        id: 'merge-form',
        onsubmit: (e) => {
          e.preventDefault();
          merge(other, error);
        },
      },
      field(t('members.merge.other'), other),
      error,
      el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'merge', 'data-test': 'merge' }, t('members.merge.button')))
    )
  );
}

async function merge(input, error) {
  const otherId = input.value.trim().toLowerCase();
  if (!isUuid(otherId)) {
    error.textContent = t('members.merge.invalid');
    return;
  }
  if (otherId === member.id) {
    error.textContent = t('members.merge.self');
    return;
  }
  error.textContent = '';
  const reason = await askReason(t('members.merge.title', { id: otherId }), t('members.merge.confirm'));
  if (!reason) {
    return;
  }
  try {
    const survivor = await api('/members/' + encodeURIComponent(member.id) + '/merge', {
      method: 'POST',
      json: { otherMemberId: otherId, reason },
    });
    await done(
      t('members.merge.done', { id: survivor.id }),
      survivor.id !== member.id
        ? el('a', { href: '/console/members/' + survivor.id, id: 'survivor-after-merge', dataset: { member: survivor.id } }, t('members.open-survivor', { id: survivor.id }))
        : null
    );
  } catch (e) {
    sayError(e);
    error.textContent = t('common.error', { 0: e.message });
  }
}

async function reveal() {
  const reason = await askReason(t('members.reveal.title'), t('members.reveal.confirm'));
  if (!reason) {
    return;
  }
  try {
    member = await api('/members/' + encodeURIComponent(member.id) + '/reveal', { method: 'POST', json: { reason } });
    render(true);
    const message = t('members.reveal.done');
    say(message);
    fill(resultBox, el('span', { class: 'ok', id: 'action-outcome' }, message));
    resultBox.focus();
  } catch (e) {
    sayError(e);
  }
}

// --- golden record with lineage -----------------------------------------------------------------

/** The golden values of attribute as text, for attributes without lineage. */
function goldenValues(attribute) {
  const m = member;
  switch (attribute) {
    case 'name':
      return m.name ? [m.name] : [];
    case 'gender':
      return m.gender && m.gender !== 'UNKNOWN' ? [genderWord(m.gender)] : [];
    case 'birthday':
      return m.birthday ? [m.birthday] : [];
    case 'identifiers':
      return (m.identifiers || []).map(identifierText);
    case 'addresses':
      return (m.addresses || []).map(addressText).filter((s) => s);
    case 'consents':
      return (m.consents || []).map(
        (c) => `${c.channel}: ${t(c.granted ? 'common.yes' : 'common.no')}${c.recordedAt ? ' (' + when(c.recordedAt) + ')' : ''}`
      );
    case 'tags':
      return (m.tags || []).map((x) => (x.source ? `${x.name} (${x.source})` : x.name));
    case 'servedBy':
      return (m.servedBy || []).map((s) => `${s.source}: ${s.staffId}`);
    default:
      return [];
  }
}

function lineageValue(l) {
  return l.attribute === 'gender' ? genderWord(l.value) : l.value;
}

function sourcesOf(l) {
  const from = l.sources || [];
  if (from.length === 0) {
    return null;
  }
  const ref = (s) =>
    el(
      'span',
      { class: 'lineage-source', title: t('members.lineage.received', { at: when(s.receivedAt) }) },
      `${s.source}:${s.sourceRecordId}`,
      s.sourceUpdatedAt ? el('span', { class: 'muted' }, ' ' + t('members.lineage.changed', { at: when(s.sourceUpdatedAt) })) : null
    );
  return el(
    'div',
    { class: 'lineage-from' },
    t('members.lineage.from'),
    ' ',
    ref(from[0]),
    from.length > 1 ? [' · ', t('members.lineage.also'), ' ', from.slice(1).map((s, i) => [i ? ', ' : null, ref(s)])] : null
  );
}

function showGolden() {
  const lineage = member.lineage || [];
  const attributes = ATTRIBUTES.concat([...new Set(lineage.map((l) => l.attribute))].filter((a) => !ATTRIBUTES.includes(a)));
  const groups = [];
  for (const attribute of attributes) {
    const entries = lineage.filter((l) => l.attribute === attribute);
    let values;
    if (entries.length) {
      values = entries.map((l) =>
        el(
          'dd',
          { class: 'lineage', dataset: { attribute } },
          el('span', { class: 'golden-value' }, lineageValue(l)),
          ' ',
          el('span', { class: 'badge' }, word('members.rule.' + l.rule, l.rule)),
          sourcesOf(l),
          l.reason ? el('div', { class: 'muted' }, localized(l.reason)) : null
        )
      );
    } else {
      const plain = goldenValues(attribute);
      if (plain.length === 0) {
        continue;
      }
      values = plain.map((v) =>
        el('dd', { class: 'lineage', dataset: { attribute } }, el('span', { class: 'golden-value' }, v), ' ', el('span', { class: 'muted' }, t('members.lineage.none')))
      );
    }
    groups.push(el('div', { class: 'golden-attribute' }, el('dt', null, word('members.attr.' + attribute, attribute)), values));
  }
  fill(goldenBox, groups.length ? el('dl', { class: 'golden', id: 'golden-record' }, groups) : el('p', { class: 'muted' }, t('common.none')));
}

// --- tags ---------------------------------------------------------------------------------------

function tagReason(tag) {
  const value = tag.source ? `${tag.name} (${tag.source})` : tag.name;
  const l = (member.lineage || []).find((x) => x.attribute === 'tags' && x.value === value);
  return l ? localized(l.reason) : null;
}

function showTags() {
  const tags = member.tags || [];
  const list = tags.length
    ? el(
        'ul',
        { class: 'tag-list', id: 'tag-list' },
        tags.map((tag) =>
          el(
            'li',
            { dataset: { tag: tag.name } },
            el('span', { class: 'badge' }, tag.name),
            ' ',
            el('span', { class: 'muted' }, word('members.tag.source.' + tag.source, tag.source || '')),
            tagReason(tag) ? el('div', { class: 'tag-reason' }, tagReason(tag)) : null,
            tag.source === 'manual' && can('removeMemberTag')
              ? el(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary small',
                    'data-test': 'remove-tag',
                    'aria-label': t('members.tag.remove.label', { name: tag.name }),
                    onclick: () => removeTag(tag.name),
                  },
                  t('members.tag.remove')
                )
              : null
          )
        )
      )
    : el('p', { class: 'muted' }, t('common.none'));
  let add = null;
  if (can('addMemberTag')) {
    const name = el('input', { id: 'tag-name', name: 'name', type: 'text', maxlength: 32, required: true, autocomplete: 'off' });
    add = el(
      'form',
      {
        id: 'tag-form',
        class: 'filters',
        onsubmit: (e) => {
          e.preventDefault();
          addTag(name);
        },
      },
      field(t('members.tag.name'), name),
      el('button', { type: 'submit', id: 'tag-add', 'data-test': 'add-tag' }, t('members.tag.add'))
    );
  }
  fill(tagsBox, list, add);
}

async function addTag(input) {
  const name = input.value.trim();
  if (!name) {
    return;
  }
  const note = await askReason(t('members.tag.add.title', { name }), t('members.tag.add'));
  if (!note) {
    return;
  }
  try {
    await api('/members/' + encodeURIComponent(member.id) + '/tags', { method: 'POST', json: { name, note } });
    await done(t('members.tag.added', { name }));
  } catch (e) {
    sayError(e);
  }
}

async function removeTag(name) {
  try {
    await api('/members/' + encodeURIComponent(member.id) + '/tags/' + encodeURIComponent(name), { method: 'DELETE' });
    await done(t('members.tag.removed', { name }));
  } catch (e) {
    sayError(e);
  }
}

// --- purchases ----------------------------------------------------------------------------------

function showPurchases() {
  const p = member.purchases;
  if (!p) {
    fill(purchasesBox, el('p', { class: 'muted' }, t('members.purchases.none')));
    return;
  }
  fill(
    purchasesBox,
    el(
      'dl',
      { class: 'kv pair', id: 'purchase-facts' },
      fact(t('members.purchases.orders'), count(p.orders)),
      fact(t('members.purchases.spent'), yuan(p.spent)),
      fact(t('members.purchases.last'), when(p.lastPurchaseAt)),
      fact(t('members.purchases.stores'), (p.stores || []).join(', '))
    )
  );
}

// --- source records per system ------------------------------------------------------------------

function showRecords() {
  const bySystem = new Map();
  for (const r of member.sourceRecords || []) {
    if (!bySystem.has(r.source)) {
      bySystem.set(r.source, []);
    }
    bySystem.get(r.source).push(r);
  }
  if (bySystem.size === 0) {
    fill(recordsBox, el('p', { class: 'muted' }, t('common.none')));
    return;
  }
  fill(
    recordsBox,
    [...bySystem.entries()].map(([system, records]) =>
      el(
        'div',
        { class: 'system', dataset: { source: system } },
        el('h3', null, t('members.records.system', { source: system, n: count(records.length) })),
        el('div', { class: 'pair' }, records.map(recordCard))
      )
    )
  );
}

function recordCard(r) {
  const raw = Object.entries(r.raw || {});
  return el(
    'div',
    { class: 'card source-record', dataset: { record: `${r.source}:${r.sourceRecordId}` } },
    el('p', { class: 'record-id' }, el('strong', null, r.sourceRecordId)),
    el(
      'dl',
      { class: 'kv' },
      fact(t('members.attr.receivedAt'), when(r.receivedAt)),
      fact(t('members.attr.name'), r.name),
      fact(t('members.attr.nickname'), r.nickname),
      fact(t('members.attr.gender'), r.gender && r.gender !== 'UNKNOWN' ? genderWord(r.gender) : null),
      fact(t('members.attr.birthday'), r.birthday),
      fact(t('members.attr.identifiers'), (r.identifiers || []).map((i) => el('div', null, identifierText(i)))),
      fact(
        t('members.attr.servedBy'),
        (r.servedBy || []).map((s) =>
          el('div', null, `${s.source}: ${s.staffId}`, s.departedAt ? el('span', { class: 'warn' }, ' ' + t('members.staff.departed', { at: when(s.departedAt) })) : null)
        )
      )
    ),
    raw.length
      ? el(
          'details',
          { class: 'data' },
          el('summary', null, t('members.records.raw')),
          el(
            'div',
            { class: 'table-wrap' },
            el(
              'table',
              null,
              el('caption', { class: 'sr-only' }, t('members.records.raw.caption', { record: `${r.source}:${r.sourceRecordId}` })),
              el('tbody', null, raw.map(([k, v]) => el('tr', null, el('th', { scope: 'row' }, k), el('td', null, v))))
            )
          )
        )
      : null
  );
}

// --- history ------------------------------------------------------------------------------------

/** A history value: JSON text for lists and objects, plain text for a name or a date. */
function parse(text) {
  if (text === null || text === undefined) {
    return null;
  }
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null ? v : text;
  } catch (e) {
    return text;
  }
}

function describe(v) {
  if (v === null || v === undefined) {
    return '';
  }
  if (typeof v !== 'object') {
    return String(v);
  }
  if ('type' in v && 'value' in v) {
    return identifierText(v);
  }
  if ('staffId' in v) {
    return `${v.source}: ${v.staffId}`;
  }
  if ('channel' in v) {
    return `${v.channel}: ${t(v.granted ? 'common.yes' : 'common.no')}`;
  }
  if ('name' in v) {
    return v.source ? `${v.name} (${v.source})` : String(v.name);
  }
  if ('province' in v || 'city' in v || 'district' in v || 'line' in v) {
    return addressText(v);
  }
  return JSON.stringify(v);
}

function removed(text) {
  return el('del', null, el('span', { class: 'sr-only' }, t('members.history.removed') + ' '), text);
}

function added(text) {
  return el('ins', null, el('span', { class: 'sr-only' }, t('members.history.added') + ' '), text);
}

function diff(change) {
  const before = parse(change.before);
  const after = parse(change.after);
  const shown = (v) => (change.attribute === 'gender' && typeof v === 'string' ? genderWord(v) : describe(v));
  if (Array.isArray(before) || Array.isArray(after)) {
    const was = (Array.isArray(before) ? before : before === null ? [] : [before]).map(shown);
    const is = (Array.isArray(after) ? after : after === null ? [] : [after]).map(shown);
    const out = [];
    was.filter((v) => !is.includes(v)).forEach((v) => out.push(removed(v), ' '));
    is.filter((v) => !was.includes(v)).forEach((v) => out.push(added(v), ' '));
    const kept = is.filter((v) => was.includes(v)).length;
    if (kept) {
      out.push(el('span', { class: 'muted' }, t('members.history.kept', { n: count(kept) })));
    }
    return out;
  }
  return [before !== null ? removed(shown(before)) : null, ' ', after !== null ? added(shown(after)) : null];
}

let historyAll = false;

async function loadHistory() {
  if (!can('getMemberHistory')) {
    historyBox.closest('section').hidden = true;
    return;
  }
  try {
    const h = await api('/members/' + encodeURIComponent(member.id) + '/history');
    showHistory(h.versions || []);
  } catch (e) {
    sayError(e);
    failed(historyBox, e);
  }
}

function showHistory(versions) {
  const newest = versions.slice().reverse();
  const shown = historyAll ? newest : newest.slice(0, HISTORY_SHOWN);
  fill(
    historyBox,
    newest.length === 0 ? el('p', { class: 'muted' }, t('common.none')) : null,
    el(
      'ol',
      { class: 'versions', id: 'versions', reversed: true },
      shown.map((v) =>
        el(
          'li',
          { class: 'version', dataset: { version: v.version } },
          el('h3', null, t('members.history.version', { n: count(v.version) })),
          el('p', { class: 'muted' }, when(v.changedAt), v.cause ? ' · ' + localized(v.cause) : null),
          (v.changes || []).length
            ? el(
                'ul',
                { class: 'diff' },
                v.changes.map((c) =>
                  el('li', { dataset: { attribute: c.attribute } }, el('strong', null, word('members.attr.' + c.attribute, c.attribute)), ': ', diff(c))
                )
              )
            : el('p', { class: 'muted' }, t('members.history.nochange'))
        )
      )
    ),
    !historyAll && newest.length > HISTORY_SHOWN
      ? el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'history-more',
            onclick: () => {
              historyAll = true;
              showHistory(versions);
            },
          },
          t('members.history.all', { n: count(newest.length) })
        )
      : null
  );
}

// --- merge log ----------------------------------------------------------------------------------

let logEntries = [];
let logNext = null;

async function loadLog(more) {
  if (!can('listMergeLog')) {
    logSection.hidden = true;
    return;
  }
  logSection.hidden = false;
  try {
    const page = await api('/merge-log', { params: { member: member.id, limit: LOG_PAGE, after: more ? logNext : undefined } });
    logEntries = more ? logEntries.concat(page.items || []) : page.items || [];
    logNext = page.next ?? null;
    showLog();
  } catch (e) {
    sayError(e);
    failed(logBox, e);
  }
}

function evidenceOf(entry) {
  let parsed = null;
  try {
    parsed = JSON.parse(entry.evidence);
  } catch (e) {
    // not JSON: shown as it is
  }
  const reason = parsed && typeof parsed.reason === 'string' ? localized(parsed.reason) : null;
  return [
    reason ? el('div', null, reason) : null,
    el(
      'details',
      { class: 'data' },
      el('summary', null, t('members.log.evidence')),
      el('pre', null, parsed ? JSON.stringify(parsed, null, 2) : entry.evidence || '')
    ),
  ];
}

function showLog() {
  fill(
    logBox,
    table(
      [
        { label: t('members.log.seq'), num: true, value: (x) => String(x.seq) },
        { label: t('common.time'), value: (x) => when(x.at) },
        {
          label: t('members.log.action'),
          value: (x) => el('span', { class: 'badge', dataset: { action: x.action } }, word('action.' + x.action, x.action)),
        },
        {
          label: t('members.log.members'),
          value: (x) =>
            (x.memberIds || []).map((id) =>
              el('div', null, id === member.id ? el('span', { class: 'member-id' }, id) : el('a', { href: '/console/members/' + id, class: 'member-id' }, id))
            ),
        },
        { label: t('members.log.records'), value: (x) => (x.sourceRecords || []).map((s) => el('div', null, s)) },
        { label: t('members.log.actor'), value: (x) => x.actor },
        { label: t('members.log.evidence'), value: evidenceOf },
      ],
      logEntries,
      t('members.log.caption')
    ),
    logNext !== null
      ? el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', id: 'log-more', onclick: () => loadLog(true) }, t('common.more')))
      : null
  );
  logBox.querySelector('table')?.setAttribute('id', 'merge-log-table');
}

load();

// Review queue: the open pairs, most likely first, shown one at a time side by side with their
// evidence; S decides same person, D different people, K (or J) skips. Filters (source, score,
// evidence pattern) live in the address; a whole pattern can be settled at once.
// GET /api/v1/reviews, POST /api/v1/reviews/{id}, POST /api/v1/reviews/settle.
import {
  api,
  askReason,
  can,
  count,
  decimal,
  el,
  field,
  fill,
  lang,
  localized,
  params,
  query,
  remember,
  say,
  sayError,
  select,
  t,
  table,
  when,
  word,
  yuan,
} from './console.js';

const PAGE = 20;
const NEXT_SHOWN = 5;
const IDENTIFIER_TYPES = [
  'MOBILE',
  'LANDLINE',
  'EMAIL',
  'WECHAT_OPENID',
  'WECHAT_UNIONID',
  'MEMBER_CARD',
  'EXTERNAL_ID',
  'NATIONAL_ID',
];

const given = params();
const filters = {
  source: given.source || '',
  minScore: given.minScore || '',
  maxScore: given.maxScore || '',
  pattern: given.pattern || '',
};

const state = { items: [], index: 0, next: null, total: null, patterns: [], busy: false, loading: false };

const filtersBox = document.getElementById('filters');
const totalBox = document.getElementById('total');
const pairBox = document.getElementById('pair');
const actionsBox = document.getElementById('pair-actions');
const lastBox = document.getElementById('last-decision');
const evidenceBox = document.getElementById('pair-evidence');
const nextBox = document.getElementById('next-pairs');
const settleBox = document.getElementById('settle');
const settleResult = document.getElementById('settle-result');
const patternsBox = document.getElementById('patterns');

// --- filters ------------------------------------------------------------------------------------

const sourceInput = el('input', {
  id: 'f-source',
  type: 'text',
  name: 'source',
  maxlength: 64,
  autocomplete: 'off',
  value: filters.source,
});
const minInput = el('input', {
  id: 'f-min',
  type: 'number',
  name: 'minScore',
  min: 0,
  max: 1,
  step: 'any',
  inputmode: 'decimal',
  value: filters.minScore,
});
const maxInput = el('input', {
  id: 'f-max',
  type: 'number',
  name: 'maxScore',
  min: 0,
  max: 1,
  step: 'any',
  inputmode: 'decimal',
  value: filters.maxScore,
});
const patternSelect = el('select', { id: 'f-pattern', name: 'pattern', class: 'pattern-select', onchange: apply });

fill(
  filtersBox,
  el(
    'form',
    {
      class: 'filters',
      role: 'search',
      'aria-label': t('reviews.filters'),
      onsubmit: (e) => {
        e.preventDefault();
        apply();
      },
    },
    field(t('common.source'), sourceInput),
    field(t('reviews.minScore'), minInput),
    field(t('reviews.maxScore'), maxInput),
    field(t('reviews.pattern'), patternSelect),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', id: 'filter' }, t('common.filter')),
      el('button', { type: 'button', class: 'secondary', id: 'clear', onclick: clear }, t('common.clear'))
    )
  )
);

function apply() {
  filters.source = sourceInput.value.trim();
  filters.minScore = minInput.value;
  filters.maxScore = maxInput.value;
  filters.pattern = patternSelect.value;
  remember(filters);
  fill(settleResult);
  load();
}

function clear() {
  sourceInput.value = '';
  minInput.value = '';
  maxInput.value = '';
  patternSelect.value = '';
  apply();
}

function filtered() {
  return !!(filters.source || filters.minScore || filters.maxScore || filters.pattern);
}

function fillPatternOptions() {
  const options = [{ value: '', label: t('common.all') }].concat(
    state.patterns.map((p) => ({ value: p.pattern, label: `${p.pattern} (${count(p.count)})` }))
  );
  if (filters.pattern && !state.patterns.some((p) => p.pattern === filters.pattern)) {
    options.push({ value: filters.pattern, label: filters.pattern });
  }
  fill(
    patternSelect,
    options.map((o) => el('option', { value: o.value, selected: o.value === filters.pattern }, o.label))
  );
  patternSelect.value = filters.pattern;
}

// --- loading ------------------------------------------------------------------------------------

async function load(after) {
  state.loading = true;
  pairBox.setAttribute('aria-busy', 'true');
  updateButtons();
  try {
    const page = await api('/reviews', {
      params: {
        status: 'OPEN',
        source: filters.source,
        minScore: filters.minScore,
        maxScore: filters.maxScore,
        pattern: filters.pattern,
        limit: PAGE,
        after,
      },
    });
    state.items = page.items || [];
    state.index = 0;
    state.next = page.next ?? null;
    state.total = page.total ?? null;
    state.patterns = page.patterns || [];
    state.loading = false;
    fillPatternOptions();
    showCounts();
    showPair();
  } catch (e) {
    state.loading = false;
    if (after !== undefined && e.code === 'after-gone') {
      // the review we paged after is gone (withdrawn, rolled back): start again from the top
      load();
      return;
    }
    sayError(e);
    fill(pairBox, el('p', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
    fill(evidenceBox);
    fill(nextBox);
    updateButtons();
  } finally {
    pairBox.setAttribute('aria-busy', 'false');
  }
}

// --- counts, patterns, settling -----------------------------------------------------------------

function showCounts() {
  fill(
    totalBox,
    state.total === null
      ? ''
      : t(filtered() ? 'reviews.total.filtered' : 'reviews.total', { n: count(state.total) })
  );
  fill(
    patternsBox,
    table(
      [
        {
          label: t('reviews.pattern'),
          value: (p) =>
            el(
              'a',
              {
                href: '/console/reviews' + query({ ...filters, pattern: p.pattern }),
                'aria-current': p.pattern === filters.pattern ? 'true' : null,
                class: p.pattern === filters.pattern ? 'current-pattern' : null,
                onclick: (e) => {
                  e.preventDefault();
                  choosePattern(p.pattern);
                },
              },
              p.pattern
            ),
        },
        { label: t('reviews.count'), num: true, value: (p) => count(p.count) },
      ],
      state.patterns,
      t('reviews.patterns.caption')
    )
  );
  showSettle();
}

function choosePattern(pattern) {
  patternSelect.value = pattern;
  apply();
  document.getElementById('pair-h')?.scrollIntoView({ block: 'start' });
}

/** The open reviews of the chosen pattern, whatever the other filters; null when not known. */
function patternCount() {
  const p = state.patterns.find((x) => x.pattern === filters.pattern);
  if (p) {
    return p.count;
  }
  // not among the first 100 patterns: the total is the pattern's count when nothing else filters
  return !filters.source && !filters.minScore && !filters.maxScore && state.total !== null ? state.total : null;
}

const settleDecision = select(
  [
    { value: 'DIFFERENT', label: t('reviews.decision.DIFFERENT') },
    { value: 'SAME', label: t('reviews.decision.SAME') },
  ],
  'DIFFERENT',
  { id: 'settle-decision', name: 'decision' }
);

function showSettle() {
  if (!can('settleReviews')) {
    fill(settleBox);
    return;
  }
  if (!filters.pattern) {
    fill(settleBox, el('p', { class: 'muted' }, t('reviews.settle.choose')));
    return;
  }
  const n = patternCount();
  if (n === null) {
    fill(settleBox, el('p', { class: 'muted' }, t('reviews.settle.unknown')));
    return;
  }
  fill(
    settleBox,
    el(
      'div',
      { class: 'card settle' },
      el('h3', null, t('reviews.settle.heading')),
      el('p', null, t('reviews.settle.intro', { n: count(n) }), ' ', el('span', { class: 'pattern-text' }, filters.pattern)),
      el(
        'div',
        { class: 'filters' },
        field(t('reviews.settle.decision'), settleDecision),
        el(
          'button',
          {
            type: 'button',
            id: 'settle-pattern',
            'data-test': 'settle-pattern',
            class: 'danger',
            disabled: n === 0,
            onclick: settle,
          },
          t('reviews.settle.button', { n: count(n) })
        )
      )
    )
  );
}

async function settle() {
  const pattern = filters.pattern;
  const n = patternCount();
  if (!pattern || n === null) {
    return;
  }
  const decision = settleDecision.value;
  const reason = await askReason(
    t('reviews.settle.title', { n: count(n), decision: t('reviews.decision.' + decision), pattern }),
    t('reviews.settle.confirm', { n: count(n) })
  );
  if (!reason) {
    return;
  }
  try {
    const r = await api('/reviews/settle', {
      method: 'POST',
      json: { pattern, decision, note: reason, expectedCount: n },
    });
    const settled = (r.settled || []).length;
    const refused = r.refused || [];
    const message = t('reviews.settle.result', { settled: count(settled), skipped: count(refused.length) });
    fill(
      settleResult,
      el('p', { class: refused.length ? 'warn' : 'ok', id: 'settle-outcome' }, message),
      refused.length
        ? table(
            [
              { label: t('reviews.review'), num: true, value: (x) => String(x.id) },
              { label: t('reviews.settle.why'), value: (x) => localized(x.reason) },
            ],
            refused,
            t('reviews.settle.skipped')
          )
        : null
    );
    say(message, refused.length > 0);
    load();
  } catch (e) {
    sayError(e);
    fill(settleResult, el('p', { class: 'error', role: 'alert' }, t('common.error', { 0: e.message })));
    if (e.status === 409) {
      // the count changed meanwhile: show the new one
      load();
    }
  }
}

// --- one pair -----------------------------------------------------------------------------------

function current() {
  return state.items[state.index] || null;
}

const noteInput = el('input', { id: 'note', type: 'text', maxlength: 500, autocomplete: 'off' });
const sameButton = el(
  'button',
  { type: 'button', id: 'same', 'data-test': 'same', 'aria-keyshortcuts': 'S', onclick: () => decide('SAME') },
  t('reviews.same'),
  ' ',
  el('span', { class: 'kbd' }, 'S')
);
const differentButton = el(
  'button',
  {
    type: 'button',
    id: 'different',
    'data-test': 'different',
    'aria-keyshortcuts': 'D',
    onclick: () => decide('DIFFERENT'),
  },
  t('reviews.different'),
  ' ',
  el('span', { class: 'kbd' }, 'D')
);
const skipButton = el(
  'button',
  { type: 'button', id: 'skip', 'data-test': 'skip', class: 'secondary', 'aria-keyshortcuts': 'K J', onclick: skip },
  t('reviews.skip'),
  ' ',
  el('span', { class: 'kbd' }, 'K')
);

fill(
  actionsBox,
  can('decideReview')
    ? el(
        'div',
        { class: 'decide' },
        field(t('reviews.note'), noteInput),
        el('p', { class: 'muted hint' }, t('reviews.note.hint', { note: t('reviews.note.keyboard') })),
        el('div', { class: 'actions' }, sameButton, differentButton, skipButton)
      )
    : el('div', { class: 'actions' }, skipButton)
);

if (!can('decideReview')) {
  document.getElementById('keys-help').hidden = true; // the keys decide nothing for this role
}

function updateButtons() {
  const off = !current() || state.busy || state.loading;
  actionsBox.hidden = !current() && !state.loading;
  sameButton.disabled = off;
  differentButton.disabled = off;
  skipButton.disabled = off;
}

function showPair() {
  updateButtons();
  showNext();
  const r = current();
  if (!r) {
    fill(evidenceBox);
    if (state.items.length === 0 && state.next === null) {
      fill(pairBox, el('p', { class: 'ok', id: 'queue-empty' }, t(filtered() ? 'reviews.empty.filtered' : 'reviews.empty')));
    } else {
      fill(
        pairBox,
        el('p', { id: 'queue-end' }, t('reviews.end')),
        el('button', { type: 'button', id: 'restart', class: 'secondary', onclick: () => load() }, t('reviews.restart'))
      );
    }
    return;
  }
  fill(pairBox, head(r), compare(r));
  fill(evidenceBox, evidence(r));
}

function fact(label, value) {
  return value === null || value === undefined || value === ''
    ? null
    : el('div', null, el('dt', null, label), el('dd', null, value));
}

function head(r) {
  return el(
    'div',
    { class: 'card review-head', dataset: { review: r.id } },
    el('h3', null, t('reviews.pair.title', { id: r.id })),
    el(
      'p',
      null,
      el('span', { class: 'badge' }, word('reviews.verdict.' + r.verdict, r.verdict)),
      ' ',
      el('span', { class: 'badge probability' }, t('reviews.probability.short', { p: decimal(r.probability, 3) }))
    ),
    el(
      'dl',
      { class: 'kv' },
      fact(t('reviews.incoming'), `${r.source}:${r.sourceRecordId}`),
      fact(t('reviews.comparedWith'), r.comparedWith),
      fact(t('reviews.rule'), r.rule ? localized(r.rule) : null),
      fact(t('reviews.pattern'), r.pattern ? el('span', { class: 'pattern-text' }, r.pattern) : null),
      fact(t('reviews.created'), when(r.createdAt))
    ),
    r.recordMember.id === r.candidateMember.id ? el('p', { class: 'warn' }, t('reviews.same-member')) : null
  );
}

function one(v) {
  return v === null || v === undefined || v === '' ? [] : [String(v)];
}

function identifiers(m, type) {
  return (m.identifiers || [])
    .filter((i) => i.type === type)
    .map((i) => (i.scope ? `${i.value} (${i.scope})` : i.value));
}

function address(a) {
  return [a.province, a.city, a.district, a.line].filter((s) => s).join(' ');
}

/** The rows of the comparison: the golden attributes of both members, one row each. */
function rows(a, b, incoming) {
  const out = [];
  const gender = (m) => (m.gender && m.gender !== 'UNKNOWN' ? [t('gender.' + m.gender)] : []);
  out.push({ label: t('reviews.attr.name'), a: one(a.name), b: one(b.name), compare: true });
  out.push({ label: t('reviews.attr.gender'), a: gender(a), b: gender(b), compare: true });
  out.push({ label: t('reviews.attr.birthday'), a: one(a.birthday), b: one(b.birthday), compare: true });
  const types = IDENTIFIER_TYPES.concat(
    [...new Set([...(a.identifiers || []), ...(b.identifiers || [])].map((i) => i.type))].filter(
      (x) => !IDENTIFIER_TYPES.includes(x)
    )
  );
  for (const type of types) {
    const va = identifiers(a, type);
    const vb = identifiers(b, type);
    if (va.length || vb.length) {
      out.push({ label: word('id.' + type, type), a: va, b: vb, compare: true });
    }
  }
  out.push({
    label: t('reviews.attr.addresses'),
    a: (a.addresses || []).map(address).filter((s) => s),
    b: (b.addresses || []).map(address).filter((s) => s),
    compare: true,
  });
  out.push({
    label: t('reviews.attr.servedBy'),
    a: (a.servedBy || []).map((s) => `${s.source}: ${s.staffId}`),
    b: (b.servedBy || []).map((s) => `${s.source}: ${s.staffId}`),
    compare: true,
  });
  out.push({
    label: t('reviews.attr.tags'),
    a: (a.tags || []).map((x) => x.name),
    b: (b.tags || []).map((x) => x.name),
    compare: false,
  });
  const purchases = (m) =>
    m.purchases
      ? [t('reviews.purchases.value', { orders: count(m.purchases.orders), spent: yuan(m.purchases.spent) })]
      : [];
  out.push({ label: t('reviews.attr.purchases'), a: purchases(a), b: purchases(b), compare: false });
  const records = (m) =>
    (m.sourceRecords || []).map((s) => {
      const key = `${s.source}:${s.sourceRecordId}`;
      return key === incoming ? t('reviews.record.incoming', { record: key }) : key;
    });
  out.push({ label: t('reviews.attr.sourceRecords'), a: records(a), b: records(b), compare: false });
  out.push({ label: t('reviews.attr.createdAt'), a: one(when(a.createdAt)), b: one(when(b.createdAt)), compare: false });
  return out.filter((row) => row.a.length || row.b.length);
}

function cell(values, other, compare) {
  if (values.length === 0) {
    return el('td', { class: 'muted' }, el('span', { 'aria-hidden': 'true' }, '—'), el('span', { class: 'sr-only' }, t('reviews.missing')));
  }
  return el(
    'td',
    null,
    values.map((v) => el('div', null, compare && other.length > 0 && !other.includes(v) ? el('mark', null, v) : v))
  );
}

function compare(r) {
  const a = r.recordMember;
  const b = r.candidateMember;
  const memberHead = (m, key) =>
    el(
      'th',
      { scope: 'col' },
      el('a', { href: '/console/members/' + m.id, dataset: { member: m.id } }, t(key)),
      el('span', { class: 'member-id muted', title: m.id }, m.id.slice(0, 8) + '…')
    );
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { class: 'compare', id: 'compare' },
      el('caption', { class: 'sr-only' }, t('reviews.compare.caption', { id: r.id })),
      el(
        'thead',
        null,
        el(
          'tr',
          null,
          el('th', { scope: 'col' }, t('reviews.attribute')),
          memberHead(a, 'reviews.member.record'),
          memberHead(b, 'reviews.member.candidate')
        )
      ),
      el(
        'tbody',
        null,
        rows(a, b, `${r.source}:${r.sourceRecordId}`).map((row) => {
          const differs =
            row.compare &&
            row.a.length > 0 &&
            row.b.length > 0 &&
            (row.a.some((v) => !row.b.includes(v)) || row.b.some((v) => !row.a.includes(v)));
          return el(
            'tr',
            { class: differs ? 'differs' : null },
            el(
              'th',
              { scope: 'row' },
              row.label,
              differs ? el('span', { class: 'differs-mark' }, ' ≠', el('span', { class: 'sr-only' }, ' ' + t('reviews.differs'))) : null
            ),
            cell(row.a, row.b, row.compare),
            cell(row.b, row.a, row.compare)
          );
        })
      )
    )
  );
}

function signed(w) {
  return (w > 0 ? '+' : '') + decimal(w, 2);
}

function evidence(r) {
  const breakdown = r.breakdown || [];
  const sum = breakdown.reduce((s, x) => s + (x.weight || 0), 0);
  return [
    el('h3', null, t('reviews.evidence')),
    el(
      'div',
      { class: 'pair' },
      table(
        [
          { label: t('reviews.comparison'), value: (x) => word('reviews.cmp.' + x.attribute, x.attribute) },
          { label: t('reviews.level'), value: (x) => x.level },
          {
            label: t('reviews.weight'),
            num: true,
            value: (x) => el('span', { class: x.weight < 0 ? 'error' : x.weight > 0 ? 'ok' : null }, signed(x.weight)),
          },
        ],
        breakdown,
        t('reviews.evidence.caption')
      ),
      el(
        'dl',
        { class: 'kv' },
        fact(t('reviews.probability'), decimal(r.probability, 3)),
        fact(t('reviews.weight.total'), signed(sum)),
        fact(
          t('reviews.model'),
          r.modelVersion ? el('code', { id: 'model-version' }, r.modelVersion) : el('span', { class: 'muted' }, t('reviews.model.unknown'))
        )
      )
    ),
  ];
}

function showNext() {
  const upcoming = state.items.slice(state.index + 1, state.index + 1 + NEXT_SHOWN);
  const rest = state.items.length - state.index - 1 - upcoming.length;
  if (upcoming.length === 0) {
    fill(nextBox, el('p', { class: 'muted' }, t(state.next !== null ? 'reviews.next.page' : 'common.none')));
    return;
  }
  fill(
    nextBox,
    el(
      'ol',
      { class: 'next-pairs' },
      upcoming.map((r, i) =>
        el(
          'li',
          null,
          el(
            'button',
            {
              type: 'button',
              class: 'link',
              dataset: { review: r.id },
              onclick: () => jump(state.index + 1 + i),
            },
            t('reviews.next.item', {
              id: r.id,
              p: decimal(r.probability, 3),
              a: r.recordMember.name || t('reviews.noname'),
              b: r.candidateMember.name || t('reviews.noname'),
            })
          )
        )
      )
    ),
    rest > 0 || state.next !== null
      ? el('p', { class: 'muted' }, t(state.next !== null ? 'reviews.next.more.pages' : 'reviews.next.more', { n: count(rest) }))
      : null
  );
}

/** Brings the pair at position i forward, before the current one (which comes next). */
function jump(i) {
  const [r] = state.items.splice(i, 1);
  state.items.splice(state.index, 0, r);
  showPair();
  document.getElementById('pair-h')?.scrollIntoView({ block: 'start' });
}

function advance() {
  if (state.index < state.items.length) {
    showPair();
  } else if (state.next !== null) {
    load(state.next);
  } else {
    showPair();
  }
}

function skip() {
  const r = current();
  if (!r || state.busy || state.loading) {
    return;
  }
  state.index++;
  say(t('reviews.skipped', { id: r.id }));
  advance();
}

/** One review less in the counts on the page (the next listing counts again). */
function countDown(r) {
  if (state.total !== null && state.total > 0) {
    state.total--;
  }
  const p = state.patterns.find((x) => x.pattern === r.pattern);
  if (p && p.count > 0) {
    p.count--;
  }
  showCounts();
  fillPatternOptions();
}

async function decide(decision) {
  const r = current();
  if (!r || state.busy || state.loading || !can('decideReview')) {
    return;
  }
  state.busy = true;
  updateButtons();
  const note = noteInput.value.trim() || t('reviews.note.keyboard');
  try {
    const decided = await api('/reviews/' + r.id, { method: 'POST', json: { decision, note } });
    const message = t('reviews.decided.' + decision, { id: r.id });
    say(message);
    const survivor = decision === 'SAME' && decided && decided.candidateMember ? decided.candidateMember.id : null;
    fill(
      lastBox,
      el('span', { id: 'last-decision-text', dataset: { review: r.id, decision } }, message),
      survivor ? [' ', el('a', { href: '/console/members/' + survivor }, t('reviews.decided.open'))] : null
    );
    noteInput.value = '';
    state.items.splice(state.index, 1);
    countDown(r);
  } catch (e) {
    sayError(e);
    if (e.status === 409 || e.status === 404) {
      // decided by someone else meanwhile, or gone: on to the next
      state.items.splice(state.index, 1);
      countDown(r);
    } else {
      state.busy = false;
      updateButtons();
      return;
    }
  }
  state.busy = false;
  // the buttons were disabled while deciding, which drops the focus: keep it on the queue
  const focused = document.activeElement;
  advance();
  if (!focused || focused === document.body || focused.disabled) {
    (sameButton.disabled ? skipButton : sameButton).focus({ preventScroll: true });
  }
}

// --- keys ---------------------------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey || e.repeat) {
    return;
  }
  const target = e.target;
  if (
    target instanceof Element &&
    (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') ||
      target.isContentEditable)
  ) {
    return;
  }
  if (document.querySelector('dialog[open]')) {
    return;
  }
  const key = (e.key || '').toLowerCase();
  if (key === 's' && can('decideReview')) {
    e.preventDefault();
    decide('SAME');
  } else if (key === 'd' && can('decideReview')) {
    e.preventDefault();
    decide('DIFFERENT');
  } else if (key === 'k' || key === 'j') {
    e.preventDefault();
    skip();
  }
});

load();

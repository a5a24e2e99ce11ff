// Connectors and consumers: each connector's state, last sync and counts, pause, resume and run now,
// its last runs and the records it could not use in full; each consuming system with the personal
// data withheld from it and its dead letters, replayed one by one or all at once.
// API: GET /api/v1/connectors, /connectors/{id}/runs, /rejections, POST /run, /pause, /resume;
// GET /api/v1/consumers, /api/v1/dead-letters, POST /dead-letters/{id}/replay, /dead-letters/replay.
import {
  api,
  can,
  count,
  el,
  fill,
  localized,
  say,
  sayError,
  t,
  table,
  when,
  word,
} from './console.js';

const PAGE = 20;
const LETTERS = 100;

function fact(label, value) {
  return value === null || value === undefined || value === '' ? null : [el('dt', null, label), el('dd', null, value)];
}

/** Seconds as "2 h 5 min", "3 min" or "40 s". */
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) {
    return t('connectors.duration.hm', { 0: count(h), 1: m });
  }
  if (m > 0) {
    return t('connectors.duration.m', { 0: m });
  }
  return t('connectors.duration.s', { 0: s });
}

// ---------------------------------------------------------------- connectors

const connectorsBox = document.getElementById('connectors');

const STATE_TONE = { RUNNING: ' good', FAILING: ' bad', PAUSED: '', DISABLED: '' };

async function loadConnectors() {
  connectorsBox.setAttribute('aria-busy', 'true');
  try {
    const list = await api('/connectors');
    const items = list.items || [];
    fill(
      connectorsBox,
      items.length === 0 ? el('p', { class: 'muted' }, t('connectors.none')) : items.map((c, i) => connectorCard(c, i))
    );
  } catch (e) {
    fill(connectorsBox, el('p', { class: 'error' }, t('common.error', { 0: e.message })));
  } finally {
    connectorsBox.setAttribute('aria-busy', 'false');
  }
}

function connectorCard(c, i) {
  const key = 'connector-' + i;
  const webhooks = c.webhooks;
  const runsBox = el('div', { id: key + '-runs', class: 'drawer', hidden: true });
  const rejectionsBox = el('div', { id: key + '-rejections', class: 'drawer', hidden: true });
  const buttons = [];
  if (c.state === 'PAUSED') {
    if (can('resumeConnector')) {
      buttons.push(actionButton(c, i, 'resume', t('connectors.resume')));
    }
  } else if (c.state !== 'DISABLED') {
    // a kind that does not poll (its system pushes) has nothing to run
    if (can('runConnector') && c.scheduleSeconds !== undefined && c.scheduleSeconds !== null) {
      buttons.push(actionButton(c, i, 'run', t('connectors.run')));
    }
    if (can('pauseConnector')) {
      buttons.push(actionButton(c, i, 'pause', t('connectors.pause'), 'secondary'));
    }
  }
  if (can('listConnectorRuns')) {
    buttons.push(toggle(runsBox, t('connectors.runs'), () => showRuns(c, runsBox), key + '-runs-toggle'));
  }
  if (can('listConnectorRejections')) {
    buttons.push(toggle(rejectionsBox, t('connectors.rejections'), () => showRejections(c, rejectionsBox), key + '-rejections-toggle'));
  }
  return el(
    'article',
    { class: 'card connector', dataset: { connector: c.id, state: c.state }, 'aria-labelledby': key + '-h' },
    el('h3', { id: key + '-h', tabindex: '-1' }, c.id, ' ', el('span', { class: 'badge' + (STATE_TONE[c.state] ?? '') }, word('connectors.state.' + c.state, c.state))),
    c.state === 'FAILING' && c.failure ? el('p', { class: 'error' }, localized(c.failure)) : null,
    el(
      'dl',
      { class: 'facts' },
      fact(t('connectors.kind'), c.kind),
      fact(t('connectors.file'), c.file),
      c.syncing ? fact(t('connectors.syncing'), t('connectors.syncing.now')) : null,
      c.scheduleSeconds !== undefined && c.scheduleSeconds !== null
        ? fact(t('connectors.schedule'), t('connectors.schedule.every', { 0: duration(c.scheduleSeconds) }))
        : null,
      fact(t('connectors.last-success'), c.lastSuccessAt ? when(c.lastSuccessAt) : t('connectors.never')),
      c.lagSeconds !== undefined && c.lagSeconds !== null ? fact(t('connectors.lag'), t('connectors.lag.ago', { 0: duration(c.lagSeconds) })) : null,
      fact(t('connectors.last-failure'), when(c.lastFailureAt)),
      fact(t('connectors.position'), c.position),
      fact(t('connectors.records-in'), count(c.recordsIn)),
      c.recordsOut ? fact(t('connectors.records-out'), count(c.recordsOut)) : null,
      fact(t('connectors.rejected'), count(c.rejected)),
      c.keptWithWarnings !== undefined && c.keptWithWarnings !== null ? fact(t('connectors.kept'), count(c.keptWithWarnings)) : null,
      webhooks ? fact(t('connectors.last-push'), webhooks.lastPushAt ? when(webhooks.lastPushAt) : t('connectors.never')) : null,
      webhooks && webhooks.checkedAt ? fact(t('connectors.webhooks-checked'), when(webhooks.checkedAt)) : null
    ),
    webhooks && webhooks.problems && webhooks.problems.length
      ? el(
          'div',
          { class: 'warn' },
          el('p', null, t('connectors.webhook-problems')),
          el('ul', null, webhooks.problems.map((p) => el('li', null, localized(p))))
        )
      : null,
    buttons.length ? el('div', { class: 'actions' }, buttons) : null,
    runsBox,
    rejectionsBox
  );
}

function actionButton(c, i, action, label, tone) {
  return el(
    'button',
    {
      type: 'button',
      class: tone || null,
      dataset: { action },
      'aria-label': label + ' · ' + c.id,
      onclick: (e) => act(c, i, action, e.currentTarget),
    },
    label
  );
}

async function act(c, i, action, button) {
  button.disabled = true;
  try {
    const updated = await api('/connectors/' + encodeURIComponent(c.id) + '/' + action, { method: 'POST' });
    const old = button.closest('article');
    const card = connectorCard(updated, i);
    old.replaceWith(card);
    say(t('connectors.' + action + '.done', { 0: c.id }));
    // focus to where the reader was: the action that undoes this one, else the card's heading
    const next = { pause: 'resume', resume: 'pause', run: 'run' }[action];
    (card.querySelector('button[data-action="' + next + '"]') || card.querySelector('h3')).focus();
  } catch (e) {
    sayError(e);
    button.disabled = false;
  }
}

/** A button that shows and hides box, filling it the first time it opens. */
function toggle(box, label, load, id) {
  let loaded = false;
  const button = el(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id,
      'aria-expanded': 'false',
      'aria-controls': box.id,
      onclick: () => {
        const open = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(open));
        box.hidden = !open;
        if (open && !loaded) {
          loaded = true;
          load();
        }
      },
    },
    label
  );
  return button;
}

/**
 * A list read page by page (before = the previous page's next): the table of what is loaded, then
 * a "show more" button while there is more.
 */
function paged(box, path, columns, caption) {
  let items = [];
  let next = null;
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, t('common.more'));
  const tableBox = el('div');
  fill(box, el('p', { class: 'muted' }, t('common.loading')));
  async function page(append) {
    more.disabled = true;
    box.setAttribute('aria-busy', 'true');
    try {
      const answer = await api(path, { params: { limit: PAGE, before: append ? next : '' } });
      const firstNew = items.length;
      items = append ? items.concat(answer.items || []) : answer.items || [];
      next = answer.next ?? null;
      fill(tableBox, table(columns, items, caption));
      if (!append) {
        fill(box, tableBox, el('div', { class: 'actions' }, more));
      } else {
        tableBox.querySelectorAll('tbody tr')[firstNew]?.setAttribute('tabindex', '-1');
        tableBox.querySelectorAll('tbody tr')[firstNew]?.focus();
      }
      more.hidden = next === null;
    } catch (e) {
      if (append) {
        sayError(e);
      } else {
        fill(box, el('p', { class: 'error' }, t('common.error', { 0: e.message })));
      }
    } finally {
      more.disabled = false;
      box.setAttribute('aria-busy', 'false');
    }
  }
  more.addEventListener('click', () => page(true));
  page(false);
}

function showRuns(c, box) {
  paged(
    box,
    '/connectors/' + encodeURIComponent(c.id) + '/runs',
    [
      { label: t('connectors.run.started'), value: (r) => when(r.startedAt) },
      { label: t('connectors.run.ended'), value: (r) => (r.endedAt ? when(r.endedAt) : t('connectors.run.running')) },
      { label: t('connectors.run.read'), num: true, value: (r) => count(r.recordsRead) },
      { label: t('connectors.run.queued'), num: true, value: (r) => count(r.recordsQueued) },
      { label: t('connectors.run.rejected'), num: true, value: (r) => count(r.recordsRejected) },
      { label: t('connectors.run.withdrawn'), num: true, value: (r) => count(r.recordsWithdrawn) },
      { label: t('connectors.run.hub'), value: (r) => r.hub || '' },
      {
        label: t('connectors.run.failure'),
        value: (r) =>
          r.failure || r.failureKind
            ? [
                r.failureKind ? el('span', { class: 'badge bad' }, word('connectors.failure.' + r.failureKind, r.failureKind)) : null,
                r.failure ? el('div', null, localized(r.failure)) : null,
              ]
            : '',
      },
    ],
    t('connectors.runs.caption', { 0: c.id })
  );
}

function showRejections(c, box) {
  paged(
    box,
    '/connectors/' + encodeURIComponent(c.id) + '/rejections',
    [
      { label: t('common.time'), value: (r) => when(r.at) },
      { label: t('connectors.rejection.record'), value: (r) => r.sourceRecordId || '' },
      {
        label: t('connectors.rejection.outcome'),
        value: (r) =>
          r.kept
            ? el('span', { class: 'badge warn' }, t('connectors.rejection.kept'))
            : el('span', { class: 'badge bad' }, t('connectors.rejection.rejected')),
      },
      { label: t('connectors.rejection.reason'), value: (r) => localized(r.reason) },
      {
        label: t('connectors.rejection.raw'),
        value: (r) =>
          r.raw && Object.keys(r.raw).length
            ? el('details', null, el('summary', null, t('connectors.rejection.show')), el('pre', null, JSON.stringify(r.raw, null, 2)))
            : '',
      },
    ],
    t('connectors.rejections.caption', { 0: c.id })
  );
}

// ---------------------------------------------------------------- consumers and dead letters

const consumersSection = document.getElementById('consumers-section');
const consumersBox = document.getElementById('consumers');

async function loadConsumers() {
  consumersBox.setAttribute('aria-busy', 'true');
  try {
    const list = await api('/consumers');
    const items = list.items || [];
    fill(
      consumersBox,
      items.length === 0 ? el('p', { class: 'muted' }, t('consumers.none')) : items.map((c, i) => consumerCard(c, i))
    );
  } catch (e) {
    fill(consumersBox, el('p', { class: 'error' }, t('common.error', { 0: e.message })));
  } finally {
    consumersBox.setAttribute('aria-busy', 'false');
  }
}

/** A consumer's card; result is the answer of a replay just done, shown in it. */
function consumerCard(c, i, result) {
  const key = 'consumer-' + i;
  const letters = el('div', { id: key + '-letters' });
  const replayAll =
    can('replayDeadLetters') && c.deadLetters > 0
      ? el(
          'button',
          {
            type: 'button',
            id: key + '-replay-all',
            dataset: { action: 'replay-all' },
            'aria-label': t('consumers.replay-all') + ' · ' + c.name,
            onclick: (e) => replayAllOf(c, i, e.currentTarget),
          },
          t('consumers.replay-all')
        )
      : null;
  const card = el(
    'article',
    { class: 'card consumer', dataset: { consumer: c.name }, 'aria-labelledby': key + '-h' },
    el(
      'h3',
      { id: key + '-h', tabindex: '-1' },
      c.name,
      ' ',
      el('span', { class: 'badge' }, word('consumers.kind.' + c.kind, c.kind)),
      c.deadLetters > 0 ? [' ', el('span', { class: 'badge bad' }, t('consumers.waiting.badge', { 0: count(c.deadLetters) }))] : null
    ),
    el(
      'dl',
      { class: 'facts' },
      fact(
        t('consumers.withheld'),
        c.withheld && c.withheld.length ? c.withheld.map((k) => word('consumers.pd.' + k, k)).join(', ') : t('consumers.withheld.none')
      ),
      fact(t('consumers.attempts'), count(c.maxAttempts)),
      fact(t('consumers.dead-letters'), el('span', { id: key + '-waiting', dataset: { value: c.deadLetters } }, count(c.deadLetters))),
      fact(t('consumers.last-failure'), when(c.lastFailureAt))
    ),
    result ? replaySummary(result, key) : null,
    replayAll ? el('div', { class: 'actions' }, replayAll) : null,
    letters
  );
  if (c.deadLetters > 0) {
    loadLetters(c, i, letters);
  }
  return card;
}

function replaySummary(r, key) {
  return el(
    'div',
    { id: key + '-result', class: r.stillPending > 0 ? 'warn' : 'notice' },
    el(
      'p',
      null,
      t('consumers.replay.result', { 0: count(r.replayed), 1: count(r.refused), 2: count(r.heldBehind), 3: count(r.stillPending) })
    ),
    r.lastError ? el('p', null, t('consumers.replay.last-error', { 0: localized(r.lastError) })) : null,
    r.failures && r.failures.length
      ? el(
          'ul',
          null,
          r.failures.map((f) => el('li', null, t('consumers.replay.failure', { 0: f.id, 1: f.memberId, 2: localized(f.error) })))
        )
      : null
  );
}

async function loadLetters(c, i, box) {
  fill(box, el('p', { class: 'muted' }, t('common.loading')));
  box.setAttribute('aria-busy', 'true');
  try {
    const list = await api('/dead-letters', { params: { consumer: c.name, status: 'PENDING', limit: LETTERS } });
    const items = list.items || [];
    const columns = [
      { label: t('consumers.letter.id'), num: true, value: (d) => String(d.id) },
      { label: t('consumers.letter.failed'), value: (d) => when(d.failedAt) },
      {
        label: t('consumers.letter.member'),
        value: (d) =>
          can('getMember') ? el('a', { href: '/console/members/' + encodeURIComponent(d.memberId) }, d.memberId) : d.memberId,
      },
      { label: t('consumers.letter.event'), value: (d) => d.eventId },
      { label: t('consumers.letter.attempts'), num: true, value: (d) => count(d.attempts) },
      { label: t('consumers.letter.error'), value: (d) => localized(d.lastError) },
    ];
    if (can('replayDeadLetter')) {
      columns.push({
        label: t('common.actions'),
        value: (d) =>
          el(
            'button',
            {
              type: 'button',
              class: 'secondary',
              dataset: { action: 'replay', letter: d.id },
              'aria-label': t('consumers.replay.one', { 0: d.id }),
              onclick: (e) => replayOne(c, i, d, e.currentTarget),
            },
            t('consumers.replay')
          ),
      });
    }
    fill(
      box,
      c.deadLetters > items.length
        ? el('p', { class: 'muted' }, t('consumers.letters.first', { 0: count(items.length), 1: count(c.deadLetters) }))
        : null,
      table(columns, items, t('consumers.letters.caption', { 0: c.name }))
    );
  } catch (e) {
    fill(box, el('p', { class: 'error' }, t('common.error', { 0: e.message })));
  } finally {
    box.setAttribute('aria-busy', 'false');
  }
}

async function replayOne(c, i, letter, button) {
  button.disabled = true;
  try {
    const after = await api('/dead-letters/' + encodeURIComponent(letter.id) + '/replay', { method: 'POST' });
    if (after.status === 'REPLAYED') {
      say(t('consumers.replayed', { 0: letter.id }));
    } else {
      say(t('consumers.refused', { 0: letter.id, 1: localized(after.lastError) }), true);
    }
    await refreshConsumer(c, i, button);
  } catch (e) {
    sayError(e);
    button.disabled = false;
  }
}

async function replayAllOf(c, i, button) {
  button.disabled = true;
  try {
    const result = await api('/dead-letters/replay', { method: 'POST', params: { consumer: c.name } });
    say(
      t('consumers.replay.result', {
        0: count(result.replayed),
        1: count(result.refused),
        2: count(result.heldBehind),
        3: count(result.stillPending),
      }),
      result.stillPending > 0
    );
    await refreshConsumer(c, i, button, result);
  } catch (e) {
    sayError(e);
    button.disabled = false;
  }
}

/** Reads the consumers again and redraws this one's card (its count and its letters). */
async function refreshConsumer(c, i, from, result) {
  const list = await api('/consumers');
  const now = (list.items || []).find((x) => x.name === c.name);
  const old = from.closest('article.consumer');
  if (!now || !old) {
    return;
  }
  const card = consumerCard(now, i, result);
  old.replaceWith(card);
  card.querySelector('h3').focus();
}

// ---------------------------------------------------------------- start

loadConnectors();
if (can('listDeadLetters') && can('listConsumers')) {
  consumersSection.hidden = false;
  loadConsumers();
}

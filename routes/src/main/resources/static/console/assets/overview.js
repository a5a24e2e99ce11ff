// Overview: the hub's counts now and three small charts of the last 14 days
// (GET /api/v1/overview, days counted in the reader's time zone).
import { api, barChart, can, count, day, el, fill, sayError, t, zone } from './console.js';

// each tile links to the page that tells more, when the reader's role may open it
const TILES = [
  { key: 'members', href: '/console/members', op: 'findMembers' },
  { key: 'sourceRecords' },
  { key: 'mergesToday', href: '/console/merge-log', op: 'listMergeLog' },
  { key: 'openReviews', href: '/console/reviews', op: 'listReviews' },
  { key: 'importsRunning', href: '/console/imports', op: 'listImports' },
  { key: 'connectorsFailing', href: '/console/connectors', op: 'listConnectors', alert: true },
  { key: 'deadLetters', href: '/console/connectors', op: 'listDeadLetters', alert: true },
];

async function show() {
  const tiles = document.getElementById('tiles');
  try {
    const o = await api('/overview', { params: { days: 14, zone } });
    fill(
      tiles,
      TILES.map((tile) => {
        const n = o[tile.key];
        const alert = tile.alert && n > 0;
        const body = [
          el('span', { class: 'n' }, count(n), alert ? el('span', { class: 'alert-mark' }, ' ⚠ ', t('overview.attention')) : null),
          t('overview.' + tile.key),
        ];
        return el(
          'li',
          { class: 'tile' + (alert ? ' alert' : ''), dataset: { tile: tile.key } },
          tile.href && can(tile.op) ? el('a', { href: tile.href }, body) : body
        );
      })
    );
    tiles.setAttribute('aria-busy', 'false');
    const labels = o.days.map((d) => day(d, true));
    chart('chart-records', labels, o.recordsIn.map((s) => ({ name: s.source, values: s.counts })), 'overview.chart.records');
    chart('chart-merges', labels, [{ name: t('overview.chart.merges'), values: o.merges }], 'overview.chart.merges');
    chart('chart-backlog', labels, [{ name: t('overview.openReviews'), values: o.reviewBacklog }], 'overview.chart.backlog');
  } catch (e) {
    sayError(e);
  }
}

function chart(id, labels, series, titleKey) {
  const figure = document.getElementById(id);
  const caption = figure.querySelector('figcaption');
  fill(figure, caption, barChart(labels, series, t(titleKey)));
}

show();

/**
 * The admin console's picture of open tasks against their deadlines: one horizontal stacked bar per stage, overdue
 * first, scaled to the busiest stage. Server-rendered SVG, so the page needs no script; the title and description
 * say in words what the bars show, in the reader's language.
 *
 * Narrow on purpose: each stage's label sits above its bar rather than beside it, so the whole chart is 400 units
 * wide and a phone (390 px, less the page's margins) shows its 14-unit text at about 13 px instead of shrinking a wide
 * chart to unreadable type. Below 320 px (`svg.sla-chart` in assets/site.css: the page's policy allows no style
 * attribute) it stops shrinking and scrolls inside its own box: its text stays at 11 px or more (14 × 320 / 400).
 */
import type { TFunction } from 'i18next';
import { escapeXml, fitText, textWidth } from './svg';

export interface SlaRow {
  stage: string;
  label: string;
  overdue: number;
  dueSoon: number;
  onTime: number;
}

const WIDTH = 400;
const FONT = 14;
/** Room right of the longest bar for its total. */
const TOTAL_WIDTH = 48;
const BAR_WIDTH = WIDTH - TOTAL_WIDTH;
const LEGEND_LINE = 24;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 20;
const ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 12;

const SEGMENTS = [
  { key: 'overdue', fill: '#cf222e', ink: '#ffffff' },
  { key: 'dueSoon', fill: '#bf8700', ink: '#1f2328' },
  { key: 'onTime', fill: '#1a7f37', ink: '#ffffff' },
] as const;

type Counts = Pick<SlaRow, (typeof SEGMENTS)[number]['key']>;

export function slaChartSvg(rows: SlaRow[], t: TFunction): string {
  const clean = rows.map((row) => ({ ...row, ...counts(row) }));
  const totals = clean.reduce<Counts>(
    (sum, row) => ({
      overdue: sum.overdue + row.overdue,
      dueSoon: sum.dueSoon + row.dueSoon,
      onTime: sum.onTime + row.onTime,
    }),
    { overdue: 0, dueSoon: 0, onTime: 0 },
  );
  if (total(totals) === 0) return emptyChart(t);

  const largest = Math.max(...clean.map(total));
  const { svg: legendSvg, height: legendHeight } = legend(totals, t);
  const top = legendHeight + 8;
  const height = top + clean.length * ROW_HEIGHT;
  const summary = t('admin:chart.summary', { counts: describe(totals, t) });
  const details = clean.map((row) => t('admin:chart.row', { label: row.label, counts: describe(row, t) })).join(' ');
  return [
    svgOpen(height),
    `<title id="sla-chart-title">${escapeXml(summary)}</title>`,
    `<desc id="sla-chart-desc">${escapeXml(details)}</desc>`,
    legendSvg,
    ...clean.map((row, index) => bar(row, top + index * ROW_HEIGHT, largest, t)),
    '</svg>',
  ].join('\n');
}

function bar(row: SlaRow, y: number, largest: number, t: TFunction): string {
  const label = fitText(row.label, WIDTH, FONT);
  const barY = y + LABEL_HEIGHT;
  const middle = barY + BAR_HEIGHT / 2;
  const parts = [
    `<g class="sla-row" data-stage="${escapeXml(row.stage)}">`,
    `<text x="0" y="${y + LABEL_HEIGHT / 2}" dominant-baseline="central">` +
      `${label === row.label ? '' : `<title>${escapeXml(row.label)}</title>`}${escapeXml(label)}</text>`,
  ];
  let x = 0;
  for (const segment of SEGMENTS) {
    const count = row[segment.key];
    if (count === 0) continue;
    const width = (count / largest) * BAR_WIDTH;
    const text = String(count);
    parts.push(
      `<g class="sla-${segment.key}"><title>${escapeXml(t(`admin:chart.segment.${segment.key}`, { label: row.label, count }))}</title>`,
      `<rect x="${round(x)}" y="${barY}" width="${round(width)}" height="${BAR_HEIGHT}" fill="${segment.fill}"/>`,
      // A count that does not fit its segment is still in the tooltip and the total.
      textWidth(text, FONT) + 8 <= width
        ? `<text x="${round(x + width / 2)}" y="${middle}" text-anchor="middle" dominant-baseline="central" fill="${segment.ink}">${text}</text>`
        : '',
      '</g>',
    );
    x += width;
  }
  parts.push(
    `<text x="${round(x + 6)}" y="${middle}" dominant-baseline="central" font-weight="bold">${total(row)}</text>`,
    '</g>',
  );
  return parts.filter(Boolean).join('\n');
}

/** The three states with their totals, wrapped onto a second line when a language's words need it. */
function legend(totals: Counts, t: TFunction): { svg: string; height: number } {
  let x = 0;
  let line = 0;
  const items = SEGMENTS.map((segment) => {
    const text = t(`admin:chart.legend.${segment.key}`, { count: totals[segment.key] });
    const width = 18 + textWidth(text, FONT);
    if (x > 0 && x + width > WIDTH) {
      x = 0;
      line += 1;
    }
    const middle = line * LEGEND_LINE + 12;
    const item =
      `<rect x="${round(x)}" y="${middle - 6}" width="12" height="12" fill="${segment.fill}"/>` +
      `<text x="${round(x + 18)}" y="${middle}" dominant-baseline="central">${escapeXml(text)}</text>`;
    x += width + 20;
    return item;
  });
  return { svg: `<g class="sla-legend">${items.join('')}</g>`, height: (line + 1) * LEGEND_LINE };
}

function emptyChart(t: TFunction): string {
  return [
    svgOpen(40),
    `<title id="sla-chart-title">${escapeXml(t('admin:chart.emptySummary'))}</title>`,
    `<desc id="sla-chart-desc">${escapeXml(t('admin:chart.emptyDetails'))}</desc>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" dominant-baseline="central" fill="#656d76">` +
      `${escapeXml(t('admin:chart.empty'))}</text>`,
    '</svg>',
  ].join('\n');
}

function svgOpen(height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="sla-chart" role="img" ` +
    `aria-labelledby="sla-chart-title sla-chart-desc" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="system-ui, sans-serif" font-size="${FONT}" fill="#1f2328">`
  );
}

/** Counts come from queries: anything that is not a whole number of tasks counts as none. */
function counts(row: SlaRow): Counts {
  const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
  return { overdue: whole(row.overdue), dueSoon: whole(row.dueSoon), onTime: whole(row.onTime) };
}

function total(row: Counts): number {
  return row.overdue + row.dueSoon + row.onTime;
}

function describe(row: Counts, t: TFunction): string {
  return t('admin:chart.counts', row);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

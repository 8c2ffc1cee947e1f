/**
 * The admin console's picture of open tasks against their deadlines: one horizontal stacked bar per stage, overdue
 * first, scaled to the busiest stage. Server-rendered SVG, so the page needs no script; the title and description
 * say in words what the bars show.
 */
import { escapeXml, fitText, textWidth } from './svg';

export interface SlaRow {
  stage: string;
  label: string;
  overdue: number;
  dueSoon: number;
  onTime: number;
}

const WIDTH = 720;
const FONT = 13;
const LABEL_WIDTH = 200;
const BAR_X = 210;
/** Room right of the longest bar for its total. */
const TOTAL_WIDTH = 56;
const BAR_WIDTH = WIDTH - BAR_X - TOTAL_WIDTH;
const LEGEND_HEIGHT = 34;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 20;

const SEGMENTS = [
  { key: 'overdue', words: 'overdue', legend: 'Overdue', fill: '#cf222e', ink: '#ffffff' },
  { key: 'dueSoon', words: 'due soon', legend: 'Due soon', fill: '#bf8700', ink: '#1f2328' },
  { key: 'onTime', words: 'on time', legend: 'On time', fill: '#1a7f37', ink: '#ffffff' },
] as const;

type Counts = Pick<SlaRow, (typeof SEGMENTS)[number]['key']>;

export function slaChartSvg(rows: SlaRow[]): string {
  const clean = rows.map((row) => ({ ...row, ...counts(row) }));
  const totals = clean.reduce<Counts>(
    (sum, row) => ({
      overdue: sum.overdue + row.overdue,
      dueSoon: sum.dueSoon + row.dueSoon,
      onTime: sum.onTime + row.onTime,
    }),
    { overdue: 0, dueSoon: 0, onTime: 0 },
  );
  if (total(totals) === 0) return emptyChart();

  const largest = Math.max(...clean.map(total));
  const height = LEGEND_HEIGHT + clean.length * ROW_HEIGHT + 6;
  const summary = `Open tasks by stage: ${describe(totals)}`;
  const details = clean.map((row) => `${row.label}: ${describe(row)}.`).join(' ');
  return [
    svgOpen(height),
    `<title id="sla-chart-title">${escapeXml(summary)}</title>`,
    `<desc id="sla-chart-desc">${escapeXml(details)}</desc>`,
    legend(totals),
    ...clean.map((row, index) => bar(row, LEGEND_HEIGHT + index * ROW_HEIGHT, largest)),
    '</svg>',
  ].join('\n');
}

function bar(row: SlaRow, y: number, largest: number): string {
  const label = fitText(row.label, LABEL_WIDTH, FONT);
  const middle = y + BAR_HEIGHT / 2;
  const parts = [
    `<g class="sla-row" data-stage="${escapeXml(row.stage)}">`,
    `<text x="${LABEL_WIDTH}" y="${middle}" text-anchor="end" dominant-baseline="central">` +
      `${label === row.label ? '' : `<title>${escapeXml(row.label)}</title>`}${escapeXml(label)}</text>`,
  ];
  let x = BAR_X;
  for (const segment of SEGMENTS) {
    const count = row[segment.key];
    if (count === 0) continue;
    const width = (count / largest) * BAR_WIDTH;
    const text = String(count);
    parts.push(
      `<g class="sla-${segment.key}"><title>${escapeXml(`${row.label}: ${count} ${segment.words}`)}</title>`,
      `<rect x="${round(x)}" y="${y}" width="${round(width)}" height="${BAR_HEIGHT}" fill="${segment.fill}"/>`,
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

function legend(totals: Counts): string {
  let x = BAR_X;
  const items = SEGMENTS.map((segment) => {
    const text = `${segment.legend} (${totals[segment.key]})`;
    const item =
      `<rect x="${x}" y="6" width="12" height="12" fill="${segment.fill}"/>` +
      `<text x="${x + 18}" y="12" dominant-baseline="central">${escapeXml(text)}</text>`;
    x += 18 + textWidth(text, FONT) + 24;
    return item;
  });
  return `<g class="sla-legend">${items.join('')}</g>`;
}

function emptyChart(): string {
  return [
    svgOpen(40),
    '<title id="sla-chart-title">Open tasks by stage: no open tasks</title>',
    '<desc id="sla-chart-desc">No stage has an open task.</desc>',
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" dominant-baseline="central" fill="#656d76">No open tasks</text>`,
    '</svg>',
  ].join('\n');
}

function svgOpen(height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="sla-chart" role="img" ` +
    `aria-labelledby="sla-chart-title sla-chart-desc" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="${FONT}" fill="#1f2328">`
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

function describe(row: Counts): string {
  return SEGMENTS.map((segment) => `${row[segment.key]} ${segment.words}`).join(', ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

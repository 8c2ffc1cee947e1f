/**
 * The statistics page's pictures: for each row label (an occupation, a level, a station; a kind of task), two bars
 * side by side on one scale, such as applications beside passes, or the median beside the 90th percentile.
 * Server-rendered SVG like the SLA chart (slaChart.ts), 400 units wide with each label above its bars so that a phone
 * keeps the text readable; the title and description say in words what the bars show, in the reader's language.
 */
import { escapeXml, fitText, textWidth } from './svg';

export interface PairedBars {
  /** Unique on the page: the chart's title and description are found by it. */
  id: string;
  title: string;
  /** What the whole chart shows, in a sentence; an empty chart shows `empty` instead. */
  description: string;
  empty: string;
  series: [PairedSeries, PairedSeries];
  rows: { label: string; values: [number, number] }[];
}

export interface PairedSeries {
  name: string;
  fill: string;
  /** A bar's tooltip in the reader's words: the row's label and the bar's value put into a catalogue sentence. */
  tip(label: string, value: string): string;
}

const WIDTH = 400;
const FONT = 14;
const VALUE_WIDTH = 56;
const BAR_WIDTH = WIDTH - VALUE_WIDTH;
const LEGEND_HEIGHT = 28;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 14;
const ROW_HEIGHT = LABEL_HEIGHT + 2 * BAR_HEIGHT + 14;

export function pairedBarsSvg(chart: PairedBars): string {
  const rows = chart.rows.map((row) => ({ ...row, values: row.values.map(clean) as [number, number] }));
  if (rows.length === 0) {
    return [
      svgOpen(chart.id, 40),
      `<title id="${chart.id}-title">${escapeXml(chart.title)}</title>`,
      `<desc id="${chart.id}-desc">${escapeXml(chart.empty)}</desc>`,
      `<text x="${WIDTH / 2}" y="20" text-anchor="middle" dominant-baseline="central" fill="#656d76">` +
        `${escapeXml(chart.empty)}</text>`,
      '</svg>',
    ].join('\n');
  }
  const largest = Math.max(1, ...rows.flatMap((row) => row.values));
  const height = LEGEND_HEIGHT + rows.length * ROW_HEIGHT;
  return [
    svgOpen(chart.id, height),
    `<title id="${chart.id}-title">${escapeXml(chart.title)}</title>`,
    `<desc id="${chart.id}-desc">${escapeXml(chart.description)}</desc>`,
    legend(chart.series),
    ...rows.map((row, index) => pair(row, chart.series, LEGEND_HEIGHT + index * ROW_HEIGHT, largest)),
    '</svg>',
  ].join('\n');
}

function pair(
  row: { label: string; values: [number, number] },
  series: PairedBars['series'],
  y: number,
  largest: number,
): string {
  const label = fitText(row.label, WIDTH, FONT);
  const parts = [
    '<g class="statistics-row">',
    `<text x="0" y="${y + LABEL_HEIGHT / 2}" dominant-baseline="central">` +
      `${label === row.label ? '' : `<title>${escapeXml(row.label)}</title>`}${escapeXml(label)}</text>`,
  ];
  row.values.forEach((value, index) => {
    const barY = y + LABEL_HEIGHT + index * BAR_HEIGHT;
    const width = Math.max(value > 0 ? 1 : 0, (value / largest) * BAR_WIDTH);
    parts.push(
      `<g><title>${escapeXml(series[index].tip(row.label, formatted(value)))}</title>`,
      `<rect x="0" y="${barY}" width="${round(width)}" height="${BAR_HEIGHT - 2}" fill="${series[index].fill}"/>`,
      `<text x="${round(width + 6)}" y="${barY + (BAR_HEIGHT - 2) / 2}" dominant-baseline="central" ` +
        `font-size="12">${escapeXml(formatted(value))}</text></g>`,
    );
  });
  parts.push('</g>');
  return parts.join('\n');
}

function legend(series: PairedBars['series']): string {
  let x = 0;
  const items = series.map(({ name, fill }) => {
    const item =
      `<rect x="${round(x)}" y="6" width="12" height="12" fill="${fill}"/>` +
      `<text x="${round(x + 18)}" y="12" dominant-baseline="central">${escapeXml(name)}</text>`;
    x += 18 + textWidth(name, FONT) + 20;
    return item;
  });
  return `<g class="statistics-legend">${items.join('')}</g>`;
}

function svgOpen(id: string, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="statistics-chart" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="${FONT}" fill="#1f2328">`
  );
}

/** Figures come from queries: anything that is not a number, or is below zero, draws as none. */
const clean = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);
const formatted = (n: number): string => String(Math.round(n * 10) / 10);
const round = (n: number): number => Math.round(n * 10) / 10;

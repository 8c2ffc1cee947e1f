import test from 'ava';
import { slaChartSvg, type SlaRow } from '../../inbox-ui/charts/slaChart';
import { descendants, parseXml, textOf, titleOf, visibleTexts, type XmlElement } from '../helpers/svg';

const rows: SlaRow[] = [
  { stage: 'station-review', label: 'Station review', overdue: 5, dueSoon: 1, onTime: 10 },
  { stage: 'center-review', label: 'Guidance center review', overdue: 7, dueSoon: 2, onTime: 30 },
  { stage: 'result-approval', label: 'Result approval', overdue: 0, dueSoon: 0, onTime: 0 },
];

const tooltips = (svg: XmlElement) =>
  descendants(svg)
    .filter((element) => element.name === 'g')
    .map(titleOf)
    .filter((title) => title !== undefined);

const segmentWidth = (svg: XmlElement, tooltip: string) => {
  const group = descendants(svg).find((element) => element.name === 'g' && titleOf(element) === tooltip);
  const rect = group && descendants(group).find((element) => element.name === 'rect');
  return Number(rect?.attrs.width);
};

test('the chart is one well-formed SVG image with a title summing up every stage', (t) => {
  const svg = parseXml(slaChartSvg(rows));
  t.is(svg.name, 'svg');
  t.is(svg.attrs.role, 'img');
  t.is(titleOf(svg), 'Open tasks by stage: 12 overdue, 3 due soon, 40 on time');
  const desc = svg.children.find((child) => typeof child !== 'string' && child.name === 'desc');
  t.is(
    desc && textOf(desc),
    'Station review: 5 overdue, 1 due soon, 10 on time. Guidance center review: 7 overdue, 2 due soon, 30 on time. ' +
      'Result approval: 0 overdue, 0 due soon, 0 on time.',
  );
});

test('each stage shows its label, its counts and its total', (t) => {
  const texts = visibleTexts(parseXml(slaChartSvg(rows)));
  for (const label of ['Station review', 'Guidance center review', 'Result approval']) t.true(texts.includes(label));
  // Station review: 5 overdue and 10 on time fit inside their segments; the total 16 follows the bar.
  for (const count of ['5', '10', '16', '7', '30', '39', '0']) t.true(texts.includes(count), `count ${count}`);
});

test('the legend names the three deadline states with their totals', (t) => {
  const texts = visibleTexts(parseXml(slaChartSvg(rows)));
  t.true(texts.includes('Overdue (12)'));
  t.true(texts.includes('Due soon (3)'));
  t.true(texts.includes('On time (40)'));
});

test('every segment has a tooltip naming its stage, count and state, and no empty segment is drawn', (t) => {
  t.deepEqual(tooltips(parseXml(slaChartSvg(rows))), [
    'Station review: 5 overdue',
    'Station review: 1 due soon',
    'Station review: 10 on time',
    'Guidance center review: 7 overdue',
    'Guidance center review: 2 due soon',
    'Guidance center review: 30 on time',
  ]);
});

test('segments are red, amber and green, overdue first', (t) => {
  const svg = slaChartSvg(rows.slice(0, 1));
  const fills = descendants(parseXml(svg))
    .filter((element) => element.name === 'rect' && element.attrs.width !== '12')
    .map((rect) => rect.attrs.fill);
  t.deepEqual(fills, ['#cf222e', '#bf8700', '#1a7f37']);
});

test('bars are scaled to the stage with the most open tasks', (t) => {
  const svg = parseXml(slaChartSvg(rows));
  const longest = segmentWidth(svg, 'Guidance center review: 30 on time');
  const other = segmentWidth(svg, 'Station review: 10 on time');
  t.is(Math.round((other / longest) * 30), 10);
  const widths = ['7 overdue', '2 due soon', '30 on time'].map((state) =>
    segmentWidth(svg, `Guidance center review: ${state}`),
  );
  const full = widths.reduce((a, b) => a + b);
  t.true(full > 400 && full <= 720 - 210, `the busiest bar is ${full}px`);
});

test('labels are escaped, so a stage name cannot break or inject markup', (t) => {
  const label = 'Review <script>alert("x")</script> & co';
  const svg = slaChartSvg([{ stage: 'a"b', label, overdue: 1, dueSoon: 0, onTime: 0 }]);
  t.false(svg.includes('<script>'));
  const parsed = parseXml(svg);
  t.deepEqual(tooltips(parsed), [`${label}: 1 overdue`]);
  t.true(textOf(parsed).includes('Review <script>'));
});

test('no rows, or only empty ones, draw a small chart saying there are no open tasks', (t) => {
  for (const input of [[], [{ stage: 'training', label: 'Training', overdue: 0, dueSoon: 0, onTime: 0 }]]) {
    const svg = parseXml(slaChartSvg(input));
    t.is(svg.attrs.role, 'img');
    t.deepEqual(visibleTexts(svg), ['No open tasks']);
    t.true(Number(svg.attrs.height) < 100);
  }
});

test('a count that is not a whole number of tasks counts as none', (t) => {
  const svg = parseXml(slaChartSvg([{ stage: 's', label: 'S', overdue: Number.NaN, dueSoon: -2, onTime: 3.7 }]));
  t.is(titleOf(svg), 'Open tasks by stage: 0 overdue, 0 due soon, 3 on time');
});

test('a label too long for its column is shortened, with the whole label in its tooltip', (t) => {
  const label = 'Department approval of the comprehensive review results for senior technicians';
  const svg = parseXml(slaChartSvg([{ stage: 's', label, overdue: 0, dueSoon: 0, onTime: 2 }]));
  const shown = descendants(svg).find((element) => element.name === 'text' && titleOf(element) === label);
  t.truthy(shown);
  t.true(visibleTexts(svg).some((text) => text.endsWith('…') && label.startsWith(text.slice(0, -1))));
});

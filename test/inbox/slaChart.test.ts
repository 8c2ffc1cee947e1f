import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { translator } from '../../i18n';
import { slaChartSvg as chartIn, type SlaRow } from '../../inbox-ui/charts/slaChart';
import { descendants, parseXml, textOf, titleOf, visibleTexts, type XmlElement } from '../helpers/svg';

const slaChartSvg = (input: SlaRow[]) => chartIn(input, translator('en'));
const SITE_CSS = path.join(import.meta.dirname, '..', '..', 'inbox-ui', 'assets', 'site.css');

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
  // The busiest bar takes the chart's width, less the room for its total.
  t.true(full > 300 && full <= 400 - 40, `the busiest bar is ${full} wide`);
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

test('the chart is drawn narrow, labels above their bars, and stops shrinking where its text would become too small', (t) => {
  const svg = parseXml(slaChartSvg(rows));
  t.is(svg.attrs.viewBox.split(' ')[2], '400');
  t.is(svg.attrs['font-size'], '14');
  // 14 units at 320 px of 400 units is 11.2 px; narrower than that the chart scrolls in its box (the stylesheet's
  // svg.sla-chart rule, since the pages' policy allows no style attribute).
  t.is(svg.attrs.class, 'sla-chart');
  t.false('style' in svg.attrs, 'no style attribute');
  t.regex(readFileSync(SITE_CSS, 'utf8'), /svg\.sla-chart \{\s*min-width: 320px;\s*\}/);
  const texts = descendants(svg).filter((element) => element.name === 'text');
  const label = texts.find((element) => textOf(element) === 'Guidance center review');
  const bars = descendants(svg).filter((element) => element.name === 'rect' && element.attrs.width !== '12');
  t.is(label?.attrs.x, '0', 'a label starts at the left edge, above its bar');
  t.true(bars.every((rect) => Number(rect.attrs.x) + Number(rect.attrs.width) <= 400));
});

const chinese = [
  { stage: 'station-review', label: '鉴定站资格审核', overdue: 5, dueSoon: 1, onTime: 10 },
  { stage: 'result-approval', label: '成绩审批', overdue: 0, dueSoon: 2, onTime: 0 },
];

test('in Chinese, the title, the legend and the tooltips are Chinese', (t) => {
  const svg = parseXml(chartIn(chinese, translator('zh-CN')));
  t.is(titleOf(svg), '各环节在办任务：超期 5 件，即将到期 3 件，未到期 10 件');
  const desc = svg.children.find((child) => typeof child !== 'string' && child.name === 'desc');
  t.is(
    desc && textOf(desc),
    '鉴定站资格审核环节：超期 5 件，即将到期 1 件，未到期 10 件。 成绩审批环节：超期 0 件，即将到期 2 件，未到期 0 件。',
  );
  const texts = visibleTexts(svg);
  for (const words of ['超期（5）', '即将到期（3）', '未到期（10）', '鉴定站资格审核', '成绩审批']) {
    t.true(texts.includes(words), words);
  }
  t.deepEqual(tooltips(svg), [
    '鉴定站资格审核：超期 5 件',
    '鉴定站资格审核：即将到期 1 件',
    '鉴定站资格审核：未到期 10 件',
    '成绩审批：即将到期 2 件',
  ]);
  t.false(
    texts.some((text) => /[A-Za-z]{3}/.test(text)),
    'no English word is left',
  );
  t.deepEqual(visibleTexts(parseXml(chartIn([], translator('zh-CN')))), ['暂无在办任务']);
});

test('a Chinese label is measured as Chinese: one too long for the width is shortened, whole in its tooltip', (t) => {
  const label = '鉴定站资格审核、指导中心资格复核、成绩汇总、成绩审核与人社部门成绩审批及证书核发全部环节';
  const svg = parseXml(chartIn([{ stage: 's', label, overdue: 1, dueSoon: 0, onTime: 0 }], translator('zh-CN')));
  const shown = descendants(svg).find((element) => element.name === 'text' && titleOf(element) === label);
  t.truthy(shown, `${label.length} characters of 14 units do not fit 400`);
  const text = visibleTexts(svg).find((words) => words.endsWith('…'))!;
  t.true([...text].length <= 400 / 14, text);
});

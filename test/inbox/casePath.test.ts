import test from 'ava';
import type { TFunction, TOptions } from 'i18next';
import { casePathSvg, wrap } from '../../inbox-ui/charts/casePath';
import { stageLabel } from '../../inbox-ui/labels';
import { translator } from '../../i18n';
import { Stage } from '../../workflows/definitions';
import { descendants, parseXml, textOf, titleOf, type XmlElement } from '../helpers/svg';

/** Each stage box as a reader meets it: its label (the box's visible text) and its tooltip. */
const boxesOf = (svg: XmlElement) =>
  descendants(svg)
    .filter((element) => element.name === 'g' && element.attrs.class?.startsWith('case-path-stage'))
    .map((box) => ({
      state: box.attrs.class.replace('case-path-stage ', ''),
      title: titleOf(box)!,
      text: textOf(descendants(box).find((element) => element.name === 'text')!),
      rect: descendants(box).find((element) => element.name === 'rect')!.attrs,
      attrs: box.attrs,
    }));

/** The picture as an English reader gets it; the Chinese one is drawn in the test at the end. */
const en = translator('en');
const draw = (input: Parameters<typeof casePathSvg>[0]) => parseXml(casePathSvg(input, en));

const throughExam = [
  Stage.Eligibility,
  Stage.StationReview,
  Stage.CenterReview,
  Stage.AdmissionTicket,
  Stage.Examination,
];

test('every stage of the process is drawn in order, re-sit left out for a case that never went there', (t) => {
  const boxes = boxesOf(draw({ stage: Stage.StationReview, visited: [Stage.Eligibility, Stage.StationReview] }));
  t.deepEqual(
    boxes.map((box) => box.title.split(':')[0]),
    [
      'Application',
      'Eligibility check',
      'Station review',
      'Guidance center review',
      'Admission ticket',
      'Training',
      'Examination',
      'Comprehensive review',
      'Result approval',
      'Issuance',
      'Issued',
    ],
  );
});

test('the current stage is outlined in thick blue, bold, and named in the title of the picture', (t) => {
  const svg = draw({
    stage: Stage.CenterReview,
    visited: [Stage.Eligibility, Stage.StationReview, Stage.CenterReview],
  });
  t.is(svg.attrs.role, 'img');
  t.is(titleOf(svg), 'Path of the case: current stage Guidance center review');
  const current = boxesOf(svg).filter((box) => box.title.endsWith('current stage'));
  t.deepEqual(
    current.map((box) => box.title),
    ['Guidance center review: current stage'],
  );
  t.is(current[0].rect.stroke, '#0969da');
  t.true(Number(current[0].rect['stroke-width']) >= 3);
  t.is(current[0].attrs['aria-current'], 'step');
  const bold = descendants(svg)
    .filter((element) => element.name === 'tspan' && element.attrs['font-weight'] === 'bold')
    .map(textOf);
  t.deepEqual(bold, ['Guidance', 'center review']);
});

test('stages before the current one are done in light green, those after it are not yet', (t) => {
  const boxes = boxesOf(
    draw({ stage: Stage.AdmissionTicket, trainingRequired: true, visited: throughExam.slice(0, 4) }),
  );
  const done = boxes.filter((box) => box.state === 'done');
  t.deepEqual(
    done.map((box) => box.title),
    ['Application: done', 'Eligibility check: done', 'Station review: done', 'Guidance center review: done'],
  );
  t.true(done.every((box) => box.rect.fill === '#dafbe1'));
  t.deepEqual(
    boxes.filter((box) => box.title.endsWith('not yet')).map((box) => box.title.split(':')[0]),
    ['Training', 'Examination', 'Comprehensive review', 'Result approval', 'Issuance', 'Issued'],
  );
});

test('training is dashed and marked "if required" until eligibility says, and "not required" when it is not', (t) => {
  const training = (input: Parameters<typeof casePathSvg>[0]) =>
    boxesOf(draw(input)).find((box) => box.title.startsWith('Training'))!;
  const unknown = training({ stage: Stage.Eligibility, visited: [Stage.Eligibility] });
  t.is(unknown.title, 'Training: if required');
  t.true(unknown.text.includes('(if required)'));
  t.truthy(unknown.rect['stroke-dasharray']);

  const notRequired = training({ stage: Stage.Examination, trainingRequired: false, visited: throughExam });
  t.is(notRequired.title, 'Training: not required');
  t.truthy(notRequired.rect['stroke-dasharray']);

  const required = training({ stage: Stage.StationReview, trainingRequired: true, visited: [Stage.StationReview] });
  t.is(required.title, 'Training: not yet');
  t.falsy(required.rect['stroke-dasharray']);

  const attended = training({ stage: Stage.Examination, visited: [...throughExam.slice(0, 4), Stage.Training] });
  t.is(attended.title, 'Training: done');
});

test('a re-sit appears once the case went there', (t) => {
  const visited = [...throughExam, Stage.Resit, Stage.ResultApproval];
  const titles = boxesOf(draw({ stage: Stage.ResultApproval, trainingRequired: false, visited })).map((b) => b.title);
  t.true(titles.includes('Re-sit: done'));
  t.true(titles.indexOf('Examination: done') < titles.indexOf('Re-sit: done'));
  const atResit = boxesOf(draw({ stage: Stage.Resit, visited: throughExam })).map((box) => box.title);
  t.true(atResit.includes('Re-sit: current stage'));
});

test('a stage the case went past without entering is shown as skipped, not as still to come', (t) => {
  const visited = [...throughExam, Stage.ResultApproval, Stage.Issuance, Stage.Issued];
  const boxes = boxesOf(draw({ stage: Stage.Issued, trainingRequired: false, visited }));
  t.is(boxes.find((box) => box.title.startsWith('Comprehensive review'))!.title, 'Comprehensive review: skipped');
  t.is(boxes.at(-1)!.title, 'Issued: current stage');
  t.false(boxes.some((box) => box.title.endsWith('not yet')));
});

test('a case sent back by a return shows the higher review as still to come again', (t) => {
  const visited = [Stage.Eligibility, Stage.StationReview, Stage.CenterReview, Stage.StationReview];
  const boxes = boxesOf(draw({ stage: Stage.StationReview, visited }));
  t.is(
    boxes.find((box) => box.title.startsWith('Guidance center review'))!.title,
    'Guidance center review: not yet (to be done again after a return)',
  );
});

for (const outcome of [Stage.Rejected, Stage.Withdrawn, Stage.Cancelled, Stage.Disqualified, Stage.Failed]) {
  test(`a case ${outcome} at the examination stops there, with a red "${stageLabel(en, outcome)}" box after it`, (t) => {
    const svg = draw({ stage: outcome, trainingRequired: false, visited: [...throughExam, outcome] });
    t.is(titleOf(svg), `Path of the case: current stage ${stageLabel(en, outcome)}, ended at Examination`);
    const boxes = boxesOf(svg);
    const ended = boxes.findIndex((box) => box.title === 'Examination: the case ended here');
    t.true(ended > 0);
    t.like(boxes[ended + 1], { state: 'outcome', text: stageLabel(en, outcome), rect: { fill: '#cf222e' } });
    t.deepEqual(
      boxes.slice(ended + 2).map((box) => box.title),
      ['Comprehensive review', 'Result approval', 'Issuance', 'Issued'].map((s) => `${s}: not reached`),
    );
    t.false(boxes.some((box) => box.title.endsWith('current stage')));
  });
}

test('a case found ineligible ends after the eligibility check', (t) => {
  const boxes = boxesOf(draw({ stage: Stage.Ineligible, visited: [Stage.Eligibility, Stage.Ineligible] }));
  t.deepEqual(
    boxes.slice(0, 3).map((box) => box.title),
    ['Application: done', 'Eligibility check: the case ended here', 'Ineligible: how the case ended'],
  );
});

test('the picture is well-formed for every stage, and every label is readable text', (t) => {
  for (const stage of Object.values(Stage)) {
    const svg = draw({ stage, visited: [Stage.Eligibility, stage] });
    t.is(svg.name, 'svg', stage);
    t.true(Number(svg.attrs.width) <= 960);
  }
  t.is(stageLabel(en, Stage.StationReview), 'Station review');
  t.is(stageLabel(en, Stage.ResultApproval), 'Result approval');
  t.true(Object.values(Stage).every((stage) => !/[<&]/.test(stageLabel(en, stage))));
});

const zh = translator('zh-CN');

test('in Chinese the picture, its title, its description and every tooltip are Chinese', (t) => {
  const svg = parseXml(
    casePathSvg({ stage: Stage.Rejected, trainingRequired: false, visited: [...throughExam, Stage.Rejected] }, zh),
  );
  t.is(titleOf(svg), '申报办理进程：当前环节为审核未通过，终止于鉴定考试');
  const description = textOf(descendants(svg).find((element) => element.name === 'desc')!);
  t.true(description.startsWith('已完成：申报、资格核验、鉴定站资格审核、指导中心资格复核、准考证。'), description);
  t.true(description.includes('终止于：鉴定考试。'), description);
  const boxes = boxesOf(svg);
  t.deepEqual(
    boxes.slice(5, 8).map((box) => box.title),
    ['培训：无需培训', '鉴定考试：申报在此终止', '审核未通过：办结结果'],
  );
  t.true(boxes.find((box) => box.title.startsWith('培训'))!.text.includes('（无需培训）'));
  // Nothing the reader sees is left in English: no Latin word in any text, title or description.
  const words = [titleOf(svg)!, description, ...boxes.flatMap((box) => [box.title, box.text])];
  t.deepEqual(
    words.filter((text) => /[A-Za-z]{2}/.test(text)),
    [],
  );
});

test('a Chinese label too long for its box wraps between characters, never before closing punctuation', (t) => {
  t.deepEqual(wrap('指导中心资格复核', 80), ['指导中心', '资格复核']);
  t.deepEqual(wrap('资格审核（鉴定站）', 70), ['资格审核', '（鉴定站）']);
  t.deepEqual(wrap('考评组：意见', 50), ['考评', '组：意见'], 'not "考评组" and "：意见"');
  t.deepEqual(wrap('申报', 80), ['申报'], 'a short label stays on one line');
  t.deepEqual(wrap('Guidance center review', 96), ['Guidance', 'center review'], 'English still breaks at spaces');
  // The most boxes a case can have (a wait for a seat, a re-sit and an outcome): every Chinese label fits its box.
  const visited = [...throughExam.slice(0, 3), Stage.AwaitingSeat, ...throughExam.slice(3), Stage.Resit, Stage.Failed];
  const svg = parseXml(casePathSvg({ stage: Stage.Failed, trainingRequired: false, visited }, zh));
  for (const box of descendants(svg).filter((element) => element.name === 'g')) {
    const width = Number(descendants(box).find((element) => element.name === 'rect')!.attrs.width);
    for (const line of descendants(box)
      .filter((element) => element.name === 'tspan')
      .map(textOf)) {
      t.true([...line].length * 12 <= width - 8, `"${line}" is wider than its box (${width})`);
    }
  }
});

test('a Chinese stage label too long for two lines is cut with an ellipsis inside its box, whole in its tooltip', (t) => {
  const long = '职业技能等级认定指导中心资格复核与质量督导抽查';
  const labelled = ((key: string, options?: TOptions) =>
    key === `labels:stage.${Stage.CenterReview}` ? long : zh(key, options)) as TFunction;
  // The most boxes a case can have, so the narrowest boxes; the long label is the current stage's, drawn in bold.
  const visited = [Stage.Eligibility, Stage.StationReview, Stage.CenterReview, Stage.AwaitingSeat, Stage.Resit];
  const svg = parseXml(casePathSvg({ stage: Stage.CenterReview, trainingRequired: false, visited }, labelled));
  const box = boxesOf(svg).find((candidate) => candidate.title.startsWith(long))!;
  t.is(box.title, `${long}：当前环节`);
  const lines = descendants(svg)
    .filter((element) => element.name === 'g' && element.attrs.class === 'case-path-stage current')
    .flatMap((current) => descendants(current).filter((element) => element.name === 'tspan'))
    .map(textOf);
  t.is(lines.length, 2);
  t.true(long.startsWith(lines.join('').replace(/…$/, '')), lines.join(' / '));
  t.true(lines[1].endsWith('…'));
  for (const line of lines) {
    // Every character here, the ellipsis included, is drawn a whole em (12 px) wide.
    t.true([...line].length * 12 <= Number(box.rect.width) - 8, `"${line}" is wider than its box (${box.rect.width})`);
  }
});

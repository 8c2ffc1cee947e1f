/**
 * The picture of one case's path: every stage of the process as a box, left to right over two rows, the stages done
 * in green, the current one outlined in blue, and a case that ended early stopped where it ended, with its outcome in
 * red. Server-rendered SVG; its title and description say the same in words.
 */
import { Stage, TERMINAL_STAGES } from '../../workflows/definitions';
import type { TFunction } from 'i18next';
import { stageLabel } from '../labels';
import { escapeXml, fitText, textWidth, type TextStyle } from './svg';

export interface CasePathInput {
  stage: Stage;
  /** Known once eligibility is checked; until then training is drawn as "if required". */
  trainingRequired?: boolean;
  /** The stages the case entered, in order (its `stage:` history events); Application is implied. */
  visited: Stage[];
}

/** The story of a case (workflows/application.ts), in order. */
const PATH: readonly Stage[] = [
  Stage.Application,
  Stage.Eligibility,
  Stage.StationReview,
  Stage.CenterReview,
  Stage.AwaitingSeat,
  Stage.AdmissionTicket,
  Stage.Training,
  Stage.Examination,
  Stage.Resit,
  Stage.ComprehensiveReview,
  Stage.ResultApproval,
  Stage.Issuance,
  Stage.Issued,
];

type BoxState = 'done' | 'current' | 'ended' | 'upcoming' | 'not-reached' | 'outcome';

interface Box {
  label: string;
  state: BoxState;
  /** Said in the box's tooltip after its label. */
  note: string;
  /** A stage the case may skip, or skipped. */
  optional?: string;
}

const STYLE: Record<BoxState, { fill: string; stroke: string; width: number; ink: string; bold?: boolean }> = {
  done: { fill: '#dafbe1', stroke: '#1a7f37', width: 1.5, ink: '#1f2328' },
  current: { fill: '#ddf4ff', stroke: '#0969da', width: 4, ink: '#0969da', bold: true },
  ended: { fill: '#ffebe9', stroke: '#cf222e', width: 3, ink: '#1f2328', bold: true },
  upcoming: { fill: '#f6f8fa', stroke: '#8c959f', width: 1.5, ink: '#656d76' },
  'not-reached': { fill: '#ffffff', stroke: '#d0d7de', width: 1, ink: '#8c959f' },
  outcome: { fill: '#cf222e', stroke: '#a40e26', width: 2, ink: '#ffffff', bold: true },
};

const WIDTH = 960;
const MARGIN = 12;
const GAP = 30;
const BOX_HEIGHT = 56;
const ROW_GAP = 40;
const FONT = 12;
const LINE = 14;

export function casePathSvg(input: CasePathInput, t: TFunction): string {
  const boxes = pathBoxes(input, t);
  const perRow = Math.ceil(boxes.length / 2);
  const boxWidth = (WIDTH - 2 * MARGIN - (perRow - 1) * GAP) / perRow;
  const at = (index: number) => ({
    x: MARGIN + (index % perRow) * (boxWidth + GAP),
    y: MARGIN + Math.floor(index / perRow) * (BOX_HEIGHT + ROW_GAP),
  });
  const rows = Math.ceil(boxes.length / perRow);
  const height = 2 * MARGIN + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP;

  const arrows = boxes.slice(1).map((box, index) => {
    const from = boxes[index];
    // The outcome is where the path stops; the stages after it were never reached.
    if (from.state === 'outcome') return '';
    const faded = box.state === 'not-reached' || box.state === 'outcome' ? box.state : undefined;
    return arrow(at(index), at(index + 1), boxWidth, faded);
  });
  const title = pathTitle(input, boxes, t);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="case-path" role="img" ` +
      `aria-labelledby="case-path-title case-path-desc" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="${FONT}">`,
    `<title id="case-path-title">${escapeXml(title)}</title>`,
    `<desc id="case-path-desc">${escapeXml(pathDescription(boxes, t))}</desc>`,
    '<defs>',
    ...Object.entries(ARROW_COLOURS).map(
      ([name, colour]) =>
        `<marker id="case-path-arrow-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" ` +
        `orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
    ),
    '</defs>',
    ...arrows.filter(Boolean),
    ...boxes.map((box, index) => drawBox(box, at(index), boxWidth, t)),
    '</svg>',
  ].join('\n');
}

function pathBoxes({ stage, trainingRequired, visited }: CasePathInput, t: TFunction): Box[] {
  const endedEarly = TERMINAL_STAGES.includes(stage) && stage !== Stage.Issued;
  const entered = new Set<Stage>([Stage.Application, ...visited]);
  // A case that ended early is drawn stopped at the last stage it was in.
  const here = endedEarly
    ? ([...visited].reverse().find((s) => !TERMINAL_STAGES.includes(s) && PATH.includes(s)) ?? Stage.Application)
    : stage;
  const hereIndex = PATH.indexOf(here);

  const boxes: Box[] = [];
  for (const [index, s] of PATH.entries()) {
    // The re-sit is the exception, not the rule: only a case that went there shows it.
    if (s === Stage.Resit && !entered.has(s) && here !== s) continue;
    // Likewise the wait for a seat: only cases that go through appraisal sessions have it.
    if (s === Stage.AwaitingSeat && !entered.has(s) && here !== s) continue;
    const label = stageLabel(t, s);
    const optional =
      s === Stage.Training && !entered.has(s) && trainingRequired !== true
        ? trainingRequired === false
          ? t('case:path.notRequired')
          : t('case:path.ifRequired')
        : undefined;
    if (s === here) {
      boxes.push({
        label,
        state: endedEarly ? 'ended' : 'current',
        note: endedEarly ? t('case:path.endedHere') : t('case:path.current'),
      });
      if (endedEarly) boxes.push({ label: stageLabel(t, stage), state: 'outcome', note: t('case:path.howEnded') });
    } else if (index < hereIndex) {
      const skipped = t('case:path.skipped');
      boxes.push(
        entered.has(s)
          ? { label, state: 'done', note: t('case:path.done') }
          : { label, state: 'upcoming', note: optional ?? skipped, optional: optional ?? skipped },
      );
    } else if (endedEarly) {
      boxes.push({ label, state: 'not-reached', note: t('case:path.notReached'), optional });
    } else {
      // A stage already entered but after the current one: a return sent the case back below it.
      const note = optional ?? (entered.has(s) ? t('case:path.again') : t('case:path.notYet'));
      boxes.push({ label, state: 'upcoming', note, optional });
    }
  }
  return boxes;
}

const ARROW_COLOURS = { normal: '#57606a', 'not-reached': '#d0d7de', outcome: '#cf222e' } as const;

function arrow(
  from: { x: number; y: number },
  to: { x: number; y: number },
  boxWidth: number,
  faded?: 'not-reached' | 'outcome',
): string {
  const colour = faded ?? 'normal';
  const attrs =
    `fill="none" stroke="${ARROW_COLOURS[colour]}" stroke-width="1.5" marker-end="url(#case-path-arrow-${colour})"` +
    (faded === 'not-reached' ? ' stroke-dasharray="4 3"' : '');
  if (from.y === to.y) {
    const y = from.y + BOX_HEIGHT / 2;
    return `<path d="M${r(from.x + boxWidth)},${y} H${r(to.x - 2)}" ${attrs}/>`;
  }
  // Down from the end of the first row, back to the left, and down into the start of the next.
  const startX = r(from.x + boxWidth / 2);
  const middle = from.y + BOX_HEIGHT + ROW_GAP / 2;
  return `<path d="M${startX},${from.y + BOX_HEIGHT} V${middle} H${r(to.x + boxWidth / 2)} V${to.y - 2}" ${attrs}/>`;
}

function drawBox(box: Box, { x, y }: { x: number; y: number }, width: number, t: TFunction): string {
  // Issued is the current stage of a finished case: done, and still where it stands.
  const style =
    box.state === 'current' && box.label === stageLabel(t, Stage.Issued)
      ? { ...STYLE.current, fill: STYLE.done.fill }
      : STYLE[box.state];
  const lines = wrap(box.label, width - 12, { bold: style.bold });
  if (box.optional)
    lines.push(fitText(`${t('case:punct.open').trim()}${box.optional}${t('case:punct.close')}`, width - 12, FONT - 1));
  const top = y + BOX_HEIGHT / 2 - ((lines.length - 1) * LINE) / 2;
  const texts = lines.map((line, index) => {
    const small = box.optional !== undefined && index === lines.length - 1;
    const weight = style.bold && !small ? ' font-weight="bold"' : '';
    const italic = small ? ` font-style="italic" font-size="${FONT - 1}"` : '';
    return `<tspan x="${r(x + width / 2)}" y="${r(top + index * LINE)}"${weight}${italic}>${escapeXml(line)}</tspan>`;
  });
  const dashed = box.optional ? ' stroke-dasharray="5 3"' : '';
  const current = box.state === 'current' ? ' aria-current="step"' : '';
  return [
    `<g class="case-path-stage ${box.state}"${current}>`,
    `<title>${escapeXml(`${box.label}${t('case:punct.colon')}${box.note}`)}</title>`,
    `<rect x="${r(x)}" y="${y}" width="${r(width)}" height="${BOX_HEIGHT}" rx="8" fill="${style.fill}" ` +
      `stroke="${style.stroke}" stroke-width="${style.width}"${dashed}/>`,
    `<text text-anchor="middle" dominant-baseline="central" fill="${style.ink}">${texts.join('')}</text>`,
    '</g>',
  ].join('\n');
}

function pathTitle({ stage }: CasePathInput, boxes: Box[], t: TFunction): string {
  const ended = boxes.find((box) => box.state === 'ended');
  return ended
    ? t('case:path.titleEnded', { stage: stageLabel(t, stage), ended: ended.label })
    : t('case:path.title', { stage: stageLabel(t, stage) });
}

function pathDescription(boxes: Box[], t: TFunction): string {
  const groups: [string, Box[]][] = [
    [t('case:path.group.done'), boxes.filter((box) => box.state === 'done')],
    [t('case:path.group.current'), boxes.filter((box) => box.state === 'current')],
    [t('case:path.group.ended'), boxes.filter((box) => box.state === 'ended')],
    [t('case:path.group.outcome'), boxes.filter((box) => box.state === 'outcome')],
    [t('case:path.group.toCome'), boxes.filter((box) => box.state === 'upcoming' && !box.optional)],
    [t('case:path.group.optional'), boxes.filter((box) => box.state === 'upcoming' && box.optional)],
    [t('case:path.group.notReached'), boxes.filter((box) => box.state === 'not-reached')],
  ];
  return groups
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) => {
      const stages = list.map((box) => box.label).join(t('case:punct.enumeration'));
      return `${name}${t('case:punct.colon')}${stages}${t('case:punct.period')}`;
    })
    .join(' ');
}

/**
 * Breaks a label into at most two lines of about `room` pixels, as evenly as it can: at spaces in a label that has
 * them, between characters in one that has none, as Chinese is written. A label that two lines cannot hold fills the
 * first and ends the second with an ellipsis (the box's tooltip names the whole stage), so no text leaves its box.
 */
export function wrap(label: string, room: number, style: TextStyle = {}): string[] {
  const width = (text: string) => textWidth(text, FONT, style);
  if (width(label) <= room) return [label];
  const spaced = label.includes(' ');
  const pieces = spaced ? label.split(' ') : [...label];
  const join = (list: string[]) => list.join(spaced ? ' ' : '');
  const splits: [string, string][] = [];
  for (let cut = 1; cut < pieces.length; cut++) {
    const lines: [string, string] = [join(pieces.slice(0, cut)), join(pieces.slice(cut))];
    // Chinese line breaking: no line starts with closing punctuation or ends with an opening bracket.
    if (!spaced && (NO_LINE_START.test(lines[1][0]) || NO_LINE_END.test(lines[0].at(-1)!))) continue;
    splits.push(lines);
  }
  if (splits.length === 0) return [fitText(label, room, FONT, style)];
  const longest = (lines: string[]) => Math.max(...lines.map(width));
  const even = splits.reduce((best, lines) => (longest(lines) < longest(best) ? lines : best));
  if (longest(even) <= room) return even;
  const [first, rest] = [...splits].reverse().find(([line]) => width(line) <= room) ?? splits[0];
  return [fitText(first, room, FONT, style), fitText(rest, room, FONT, style)];
}

const NO_LINE_START = /[）」』】〕，。、：；！？)\]]/;
const NO_LINE_END = /[（「『【〔(\[]/;

function r(n: number): number {
  return Math.round(n * 10) / 10;
}

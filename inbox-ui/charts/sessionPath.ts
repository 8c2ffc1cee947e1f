/**
 * The picture of one appraisal session's path: its stages as boxes in one row, the ones done in green, the current
 * one outlined in blue, and a session that ended early (plan rejected, cancelled) stopped where it ended, in red.
 * Server-rendered SVG whose title and description say the same in words.
 */
import { SessionStage } from '../../workflows/sessionDefinitions';
import type { TFunction } from 'i18next';
import { sessionStageLabel } from '../labels';
import { escapeXml, fitText } from './svg';

/** The story of a session (workflows/session.ts), in order; a returned plan's revision sits beside its review. */
const PATH: readonly SessionStage[] = [
  SessionStage.PlanReview,
  SessionStage.Registration,
  SessionStage.RegistrationClosed,
  SessionStage.Examination,
  SessionStage.Scoring,
  SessionStage.Results,
  SessionStage.Reporting,
  SessionStage.Held,
];

const BOX = { width: 150, height: 46, gap: 14 };

type BoxState = 'done' | 'current' | 'ended' | 'upcoming';

export function sessionPathSvg(stage: SessionStage, visited: readonly SessionStage[], t: TFunction): string {
  // A plan under revision is still at the plan's step; an early end is drawn where the session was.
  const reached = new Set<SessionStage>([SessionStage.PlanReview, ...visited]);
  const endedEarly = stage === SessionStage.PlanRejected || stage === SessionStage.Cancelled;
  const at = endedEarly
    ? ([...visited].reverse().find((s) => PATH.includes(s)) ?? SessionStage.PlanReview)
    : stage === SessionStage.PlanRevision
      ? SessionStage.PlanReview
      : stage;
  const index = PATH.indexOf(at);
  const boxes = PATH.map((s, i) => {
    const state: BoxState =
      i < index || (s === SessionStage.Held && stage === SessionStage.Held)
        ? 'done'
        : i === index
          ? endedEarly
            ? 'ended'
            : 'current'
          : reached.has(s)
            ? 'done'
            : 'upcoming';
    const label =
      i === index && endedEarly
        ? t('session:path.endedAt', { at: sessionStageLabel(t, s), end: sessionStageLabel(t, stage) })
        : sessionStageLabel(t, s);
    return { label, state };
  });
  const style = {
    done: 'fill="#dafbe1" stroke="#1a7f37" stroke-width="1.5"',
    current: 'fill="#ddf4ff" stroke="#0969da" stroke-width="4"',
    ended: 'fill="#ffebe9" stroke="#cf222e" stroke-width="3"',
    upcoming: 'fill="#f6f8fa" stroke="#8c959f" stroke-width="1.5"',
  } as const;
  const width = PATH.length * (BOX.width + BOX.gap) + BOX.gap;
  const described = boxes.map((b) =>
    t('session:path.box', { stage: b.label, state: t(`session:path.state.${b.state}`) }),
  );
  const words = described.join(t('session:path.separator'));
  const drawn = boxes
    .map((box, i) => {
      const x = BOX.gap + i * (BOX.width + BOX.gap);
      return (
        `<g><title>${escapeXml(described[i])}</title>` +
        `<rect x="${x}" y="10" width="${BOX.width}" height="${BOX.height}" rx="6" ${style[box.state]}/>` +
        `<text x="${x + BOX.width / 2}" y="38" font-size="12" text-anchor="middle" font-family="system-ui, sans-serif">` +
        `${escapeXml(fitText(box.label, BOX.width - 10, 12))}</text></g>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="session-path" role="img" viewBox="0 0 ${width} 66" aria-labelledby="session-path-title session-path-desc">` +
    `<title id="session-path-title">${escapeXml(t('session:path.title', { stage: sessionStageLabel(t, stage) }))}</title>` +
    `<desc id="session-path-desc">${escapeXml(words)}</desc>${drawn}</svg>`
  );
}

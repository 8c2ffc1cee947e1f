/**
 * What a session's page shows, built from the workflow's state; the template stays dumb. The page names no candidate:
 * cases are named by their application numbers, which link to the case pages (where access rules apply as usual).
 * It offers each person only the forms their work needs; the session workflow checks every action again.
 */
import { capacityOf } from '../domain/sessionPlan';
import type { User } from '../records/directory';
import { type ImportPreview, toRow } from '../runtime/scoreImport';
import { sheetState } from '../runtime/sessions';
import { TaskStatus } from '../workflows/definitions';
import {
  type SessionTask,
  type SessionView,
  RESULT_LEVELS,
  SessionStage,
  SessionTaskKind,
} from '../workflows/sessionDefinitions';
import { sessionOfficeGroups } from '../workflows/sessionFile';
import type { TFunction } from 'i18next';
import { sessionPathSvg } from './charts/sessionPath';
import { sessionStageLabel, sessionTaskLabel } from './labels';

/** A form sent back with its refusal: which one, what was typed, and why it was refused. */
export interface SessionForm {
  taskId?: string;
  comment?: string;
  section?: 'check-in' | 'scores' | 'import' | 'seat' | 'cancel';
  typed?: Record<string, string>;
  error?: string;
  /** An imported file's preview, and the file's name. */
  preview?: ImportPreview;
  fileName?: string;
}

interface TaskForm {
  /** The decisions offered, as [action, button label]. */
  buttons: { action: string; label: string; secondary?: boolean }[];
  commentLabel: string;
  /** On a results level: how a single candidate may be taken out of the batch. */
  takeOut?: { value: 'return' | 'reject'; label: string }[];
}

const REJECT_ONE = { value: 'reject', label: 'Take out: reject' } as const;
const RETURN_ONE = { value: 'return', label: 'Take out: return to the level below' } as const;

const TASK_FORMS: Record<SessionTaskKind, TaskForm> = {
  [SessionTaskKind.PlanReview]: {
    buttons: [
      { action: 'approve', label: 'Approve the plan' },
      { action: 'return', label: 'Return for revision', secondary: true },
      { action: 'reject', label: 'Reject the plan', secondary: true },
    ],
    commentLabel: 'Comment (a reason is required to return or reject)',
  },
  [SessionTaskKind.PlanRevision]: { buttons: [], commentLabel: '' },
  [SessionTaskKind.CheckIn]: {
    buttons: [{ action: 'approve', label: 'Close the check-in list' }],
    commentLabel: 'Comment (optional)',
  },
  [SessionTaskKind.ScoreEntry]: {
    buttons: [{ action: 'approve', label: 'Submit the sheet for checking' }],
    commentLabel: 'Comment (optional)',
  },
  [SessionTaskKind.ScoreCheck]: {
    buttons: [
      { action: 'approve', label: 'Approve the sheet' },
      { action: 'return', label: 'Return for correction', secondary: true },
    ],
    commentLabel: 'Comment (a reason is required to return)',
  },
  [SessionTaskKind.Report]: {
    buttons: [{ action: 'approve', label: 'File the report' }],
    commentLabel: "Opinion of the appraisal team's work (required)",
  },
  [SessionTaskKind.ResultSummary]: {
    buttons: [{ action: 'approve', label: 'Send the results to the guidance center' }],
    commentLabel: 'Summary (optional)',
    takeOut: [REJECT_ONE],
  },
  [SessionTaskKind.ResultCenter]: {
    buttons: [
      { action: 'approve', label: 'Approve and send to the department' },
      { action: 'return', label: 'Return the whole batch to the station', secondary: true },
    ],
    commentLabel: 'Comment (a reason is required to return the batch)',
    takeOut: [RETURN_ONE, REJECT_ONE],
  },
  [SessionTaskKind.ResultDepartment]: {
    buttons: [
      { action: 'approve', label: 'Approve: certificates are numbered in roster order' },
      { action: 'return', label: 'Return the whole batch to the guidance center', secondary: true },
    ],
    commentLabel: 'Comment (a reason is required to return the batch)',
    takeOut: [RETURN_ONE, REJECT_ONE],
  },
};

const SHEET_LABELS = {
  'not-open': 'not open yet (it opens once the last part has ended and the check-in list is closed)',
  entry: 'being entered by the appraisal team',
  check: 'submitted, being checked by a second examiner',
  checked: 'checked; the scores have gone to the cases',
} as const;

export function sessionPageModel(view: SessionView, user: User, t: TFunction, form: SessionForm = {}) {
  const seated = view.roster.filter((entry) => !entry.released);
  const lines = view.sheet?.rows ?? {};
  const visited = view.history.filter((e) => e.type.startsWith('stage:')).map((e) => e.type.slice(6));
  const office = sessionOfficeGroups(view.stationId).some((group) => user.roles.includes(group));
  const onTeam = view.plan.examiners.includes(user.id) && user.roles.includes(`${view.stationId}:examiners`);
  const typed = form.typed ?? {};
  // The session enters its examination stage when the first part begins, by its own clock.
  const checkInOpen = view.stage === SessionStage.Examination && !view.checkIn && (office || onTeam);
  const sheetOpen =
    onTeam && view.tasks.some((t) => t.kind === SessionTaskKind.ScoreEntry && t.status === TaskStatus.Open);
  return {
    view,
    stageLabel: sessionStageLabel(t, view.stage),
    pathSvg: sessionPathSvg(view.stage, visited as SessionView['stage'][], t),
    qualifications: view.plan.qualifications.map((q) => `${q.occupation} level ${q.level}`).join(', '),
    rooms: view.plan.rooms.map((room) => `${room.name} (${room.seats} seats)`).join(', '),
    seatsTaken: seated.length,
    capacity: capacityOf(view.plan),
    sheetLabel: SHEET_LABELS[sheetState(view)],
    mayPrintTickets: office,
    seating: office &&
      (view.stage === SessionStage.Registration || view.stage === SessionStage.RegistrationClosed) && {
        error: form.section === 'seat' ? form.error : undefined,
        applicationNumber: form.section === 'seat' ? typed.applicationNumber : '',
      },
    cancelling: office &&
      !view.closed &&
      [SessionStage.Registration, SessionStage.RegistrationClosed].includes(view.stage) && {
        error: form.section === 'cancel' ? form.error : undefined,
        reason: form.section === 'cancel' ? typed.reason : '',
      },
    openTasks: view.tasks
      .filter((task) => task.status === TaskStatus.Open)
      .map((task) => taskModel(view, task, user, form, t)),
    results: view.results && resultsModel(view, t),
    roster: seated.map((entry) => ({
      ...entry,
      attendance: entry.attendance ? (entry.attendance.present ? 'present' : 'absent') : '',
      knowledge: lines[entry.ticketNumber]?.knowledge,
      skills: lines[entry.ticketNumber]?.skills,
    })),
    checkIn: checkInOpen && {
      error: form.section === 'check-in' ? form.error : undefined,
      rows: seated.map((entry) => {
        const name = `mark:${entry.ticketNumber}`;
        const mark = typed[name] ?? (entry.attendance ? (entry.attendance.present ? 'present' : 'absent') : '');
        return { ...entry, name, present: mark === 'present', absent: mark === 'absent' };
      }),
    },
    sheet: sheetOpen && {
      error: form.section === 'scores' ? form.error : undefined,
      importError: form.section === 'import' ? form.error : undefined,
      preview: form.preview && {
        ...form.preview,
        fileName: form.fileName,
        badRows: form.preview.errors.length,
        confirm: form.preview.valid && JSON.stringify(form.preview.lines.map(toRow)),
      },
      rows: seated
        .filter((entry) => entry.attendance?.present)
        .map((entry) => {
          const line = lines[entry.ticketNumber];
          const value = (part: 'knowledge' | 'skills') =>
            typed[`${part}:${entry.ticketNumber}`] ?? (line?.[part] === undefined ? '' : String(line[part]));
          const disqualified = typed[`disqualified:${entry.ticketNumber}`] ?? line?.disqualified ?? '';
          return {
            ...entry,
            knowledge: value('knowledge'),
            skills: value('skills'),
            disqualified,
            sitsKnowledge: entry.resitPart !== 'skills',
            sitsSkills: entry.resitPart !== 'knowledge',
          };
        }),
    },
    history: [...view.history].reverse(),
  };
}

function taskModel(view: SessionView, task: SessionTask, user: User, form: SessionForm, t: TFunction) {
  const shape = TASK_FORMS[task.kind];
  const typed = form.taskId === task.id ? (form.typed ?? {}) : {};
  const mayAct =
    user.roles.includes(task.candidateGroup) ||
    user.roles.includes(task.supervisingGroup) ||
    user.roles.includes('administrators');
  const refused = form.taskId === task.id;
  return {
    ...task,
    label: sessionTaskLabel(t, task.kind),
    form: mayAct && shape && shape.buttons.length > 0 && shape,
    error: refused ? form.error : undefined,
    comment: refused ? form.comment : '',
    batch: mayAct && shape?.takeOut && batchRows(view, shape.takeOut, typed),
  };
}

/** The candidates still in the batch, each with a choice to take them out and a reason (kept when refused). */
function batchRows(view: SessionView, choices: NonNullable<TaskForm['takeOut']>, typed: Record<string, string>) {
  const rows = view.sheet?.rows ?? {};
  return (view.results?.lines ?? [])
    .filter((line) => !line.takenOut && !line.left)
    .sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber))
    .map(({ ticketNumber, applicationNumber }) => {
      const chosen = typed[`out:${ticketNumber}`] ?? '';
      return {
        ticketNumber,
        applicationNumber,
        knowledge: rows[ticketNumber]?.knowledge,
        skills: rows[ticketNumber]?.skills,
        choices: choices.map((choice) => ({ ...choice, selected: choice.value === chosen })),
        reason: typed[`why:${ticketNumber}`] ?? '',
      };
    });
}

/** Where the batch stands: who joined, who was taken out and why, each level's decision, the numbers reserved. */
function resultsModel(view: SessionView, t: TFunction) {
  const results = view.results!;
  // Each level as the session's task names it, not as a single case's task would.
  const taskLabel = (caseKind: string) => {
    const level = RESULT_LEVELS.find((l) => l.caseKind === caseKind);
    return level ? sessionTaskLabel(t, level.kind) : caseKind;
  };
  return {
    expected: results.expected,
    joined: results.lines.length,
    late: results.late.length,
    decisions: results.decisions.map((d) => ({ ...d, label: taskLabel(d.kind) })),
    lines: [...results.lines]
      .sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber))
      .map((line) => ({
        ...line,
        standing: line.takenOut
          ? `${line.takenOut.decision === 'reject' ? 'rejected' : 'returned'} at ${taskLabel(line.takenOut.kind)}: ${line.takenOut.comment}`
          : line.left
            ? `left the batch: ${line.left.reason}`
            : results.done
              ? 'approved'
              : 'in the batch',
      })),
  };
}

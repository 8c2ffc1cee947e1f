/**
 * What a session's page shows, built from the workflow's state; the template stays dumb. The page names no candidate:
 * cases are named by their application numbers, which link to the case pages (where access rules apply as usual).
 * It offers each person only the forms their work needs; the session workflow checks every action again. Every word
 * comes from the `session` catalogue in the reader's language; people and offices are shown by their names.
 */
import type { TFunction } from 'i18next';
import { formatDateTime, type Language } from '../i18n';
import { levelTitle, levelTitleZh, type Level } from '../domain/levels';
import { findOccupation, occupationName, type OccupationCatalogue } from '../domain/occupations';
import { capacityOf } from '../domain/sessionPlan';
import type { User } from '../records/directory';
import { type ImportPreview, toRow } from '../runtime/scoreImport';
import { sheetState } from '../runtime/sessions';
import { type CaseEvent, TaskStatus } from '../workflows/definitions';
import {
  type SessionTask,
  type SessionView,
  RESULT_LEVELS,
  SessionStage,
  SessionTaskKind,
} from '../workflows/sessionDefinitions';
import { sessionOfficeGroups } from '../workflows/sessionFile';
import { sessionPathSvg } from './charts/sessionPath';
import { sessionStageLabel, sessionTaskLabel } from './labels';
import { messageText } from './messageText';

/** How the session pages speak to their reader: the words and language, and the names behind ids. */
export interface Reader {
  t: TFunction;
  language: Language;
  catalogue: OccupationCatalogue;
  /** User ids and organisation ids to names; an id the directory does not know shows itself. */
  people: ReadonlyMap<string, string>;
  organisations: ReadonlyMap<string, string>;
}

const personName = (reader: Reader, id: string) => reader.people.get(id) ?? id;
const officeName = (reader: Reader, id: string) => reader.organisations.get(id) ?? id;

/** Everyone a session's page names: its team, whoever acted in its history, holds a task or decided on the batch. */
export function peopleIn(view: SessionView): string[] {
  return [
    ...new Set([
      ...view.plan.examiners,
      ...view.history.map((event) => event.by),
      ...view.tasks.map((task) => task.assignee),
      ...(view.results?.decisions ?? []).map((decision) => decision.by),
      view.checkIn?.closedBy,
      view.sheet?.checked?.by,
      view.evaluation?.by,
    ]),
  ].filter((id): id is string => typeof id === 'string');
}

/** An occupation and level as people write them: 'Baker, Level 5 (primary)', '烘焙工（等级：五级/初级工）'. */
export function qualificationName(reader: Reader, occupation: string, level: Level): string {
  const found = findOccupation(occupation, reader.catalogue);
  return reader.t('session:qualification', {
    occupation: found ? occupationName(found, reader.language) : occupation,
    level: reader.language === 'zh-CN' ? levelTitleZh(level) : levelTitle(level),
  });
}

/** A group such as `center-1:reviewers`, named by its office and role. */
function groupName(reader: Reader, group: string): string {
  const [office, role] = group.split(':');
  if (!role) return group;
  return reader.t('session:group', {
    office: officeName(reader, office),
    role: reader.t(`session:role.${role}`, { defaultValue: role }),
  });
}

/** A history entry in words: 'stage:registration' reads as the stage it entered, a task's event names the task. */
function eventName(t: TFunction, { type, taskId }: CaseEvent, tasks: readonly SessionTask[]): string {
  const [prefix, stage] = type.split(':');
  if (stage && prefix === 'stage') return t('session:history.stage', { stage: sessionStageLabel(t, stage) });
  if (stage && prefix === 'closed') return t('session:history.closed', { stage: sessionStageLabel(t, stage) });
  const kind = tasks.find((task) => task.id === taskId)?.kind;
  const task = kind ? sessionTaskLabel(t, kind) : taskId;
  return t(`session:history.event.${type}`, { task, defaultValue: type });
}

/** A form sent back with its refusal: which one, what was typed, and why it was refused. */
export interface SessionForm {
  taskId?: string;
  comment?: string;
  section?: SessionSection;
  typed?: Record<string, string>;
  error?: string;
  /** An imported file's preview, and the file's name. */
  preview?: ImportPreview;
  fileName?: string;
}

export type SessionSection = 'check-in' | 'scores' | 'import' | 'seat' | 'cancel';

type TakeOutChoice = 'return' | 'reject';

/** The decisions offered on a task, by action (their words are `session:taskForm.<kind>.<action>`). */
interface TaskForm {
  buttons: { action: string; secondary?: boolean }[];
  /** On a results level: how a single candidate may be taken out of the batch. */
  takeOut?: TakeOutChoice[];
}

const TASK_FORMS: Record<SessionTaskKind, TaskForm> = {
  [SessionTaskKind.PlanReview]: {
    buttons: [{ action: 'approve' }, { action: 'return', secondary: true }, { action: 'reject', secondary: true }],
  },
  [SessionTaskKind.PlanRevision]: { buttons: [] },
  [SessionTaskKind.CheckIn]: { buttons: [{ action: 'approve' }] },
  [SessionTaskKind.ScoreEntry]: { buttons: [{ action: 'approve' }] },
  [SessionTaskKind.ScoreCheck]: { buttons: [{ action: 'approve' }, { action: 'return', secondary: true }] },
  [SessionTaskKind.Report]: { buttons: [{ action: 'approve' }] },
  [SessionTaskKind.ResultSummary]: { buttons: [{ action: 'approve' }], takeOut: ['reject'] },
  [SessionTaskKind.ResultCenter]: {
    buttons: [{ action: 'approve' }, { action: 'return', secondary: true }],
    takeOut: ['return', 'reject'],
  },
  [SessionTaskKind.ResultDepartment]: {
    buttons: [{ action: 'approve' }, { action: 'return', secondary: true }],
    takeOut: ['return', 'reject'],
  },
};

/** The words a task's form is shown with, by kind and action; every one of them is in the catalogue. */
export const taskFormWords = (t: TFunction, kind: SessionTaskKind) => ({
  comment: t(`session:taskForm.${kind}.comment`),
  buttons: TASK_FORMS[kind].buttons.map((button) => ({
    ...button,
    label: t(`session:taskForm.${kind}.${button.action}`),
  })),
});

/** What a decision did, said after the redirect: in the task's own words where it has them. */
export function taskDone(t: TFunction, kind: SessionTaskKind | undefined, action: string): string {
  const task = kind ? sessionTaskLabel(t, kind) : '';
  return t([`session:taskDone.${kind}.${action}`, `session:taskDone.${action}`], { task });
}

export function sessionPageModel(view: SessionView, user: User, reader: Reader, form: SessionForm = {}) {
  const { t, language } = reader;
  const seated = view.roster.filter((entry) => !entry.released);
  const lines = view.sheet?.rows ?? {};
  const visited = view.history.filter((e) => e.type.startsWith('stage:')).map((e) => e.type.slice(6));
  const office = sessionOfficeGroups(view.stationId).some((group) => user.roles.includes(group));
  const onTeam = view.plan.examiners.includes(user.id) && user.roles.includes(`${view.stationId}:examiners`);
  const typed = form.typed ?? {};
  const at = (iso: string) => formatDateTime(iso, language);
  const seatOf = (seat: { room: string; number: number }) => t('session:seat.where', seat);
  const attendanceOf = (present: boolean | undefined) =>
    present === undefined ? '' : t(present ? 'session:roster.present' : 'session:roster.absent');
  // The session enters its examination stage when the first part begins, by its own clock.
  const checkInOpen = view.stage === SessionStage.Examination && !view.checkIn && (office || onTeam);
  const sheetOpen =
    onTeam && view.tasks.some((task) => task.kind === SessionTaskKind.ScoreEntry && task.status === TaskStatus.Open);
  const stage = sessionStageLabel(t, view.stage);
  const reason = view.outcome?.reason;
  const sheet = t(`session:sheetState.${sheetState(view)}`);
  const part = ({ startsAt, endsAt, place }: { startsAt: string; endsAt: string; place: string }) =>
    t('session:facts.part', { from: at(startsAt), to: at(endsAt), place });
  const model = {
    view,
    pathSvg: sessionPathSvg(view.stage, visited as SessionView['stage'][], t),
    facts: {
      stage: !view.closed
        ? stage
        : reason
          ? t('session:facts.stageClosedWhy', { stage, reason })
          : t('session:facts.stageClosed', { stage }),
      offices: t('session:facts.officeChain', {
        station: officeName(reader, view.stationId),
        center: officeName(reader, view.guidanceCenterId),
        department: officeName(reader, view.departmentId),
      }),
      qualifications: view.plan.qualifications
        .map((q) => qualificationName(reader, q.occupation, q.level))
        .join(t('session:listSeparator')),
      knowledge: part(view.plan.knowledge),
      skills: part(view.plan.skills),
      registrationCloses: at(view.plan.registrationClosesAt),
      rooms: t('session:facts.roomsTaken', {
        rooms: view.plan.rooms
          .map((room) => t('session:facts.room', { room: room.name, count: room.seats }))
          .join(t('session:listSeparator')),
        seated: seated.length,
        capacity: capacityOf(view.plan),
      }),
      team: view.plan.examiners.map((id) => personName(reader, id)).join(t('session:nameSeparator')),
      checkIn:
        view.checkIn &&
        t('session:facts.checkInClosed', {
          by: personName(reader, view.checkIn.closedBy),
          at: at(view.checkIn.closedAt),
          present: view.checkIn.present,
          absent: view.checkIn.absent,
        }),
      sheet: view.sheet?.checked
        ? t('session:facts.sheetChecked', { state: sheet, by: personName(reader, view.sheet.checked.by) })
        : sheet,
      opinion:
        view.evaluation &&
        t('session:facts.opinionBy', { opinion: view.evaluation.opinion, by: personName(reader, view.evaluation.by) }),
    },
    // The formats' names are codes, the same in every language.
    reports: ['pdf', 'xlsx', 'csv'].map((format) => ({ format, name: format.toUpperCase() })),
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
      .map((task) => taskModel(view, task, user, form, reader)),
    results: view.results && resultsModel(view, reader),
    roster: seated.map((entry) => {
      const qualification = qualificationName(reader, entry.occupation, entry.level);
      return {
        ...entry,
        seatLabel: seatOf(entry.seat),
        qualification: entry.resitPart
          ? t('session:qualificationResit', { qualification, part: t(`session:part.${entry.resitPart}`) })
          : qualification,
        attendance: attendanceOf(entry.attendance?.present),
        knowledge: lines[entry.ticketNumber]?.knowledge,
        skills: lines[entry.ticketNumber]?.skills,
      };
    }),
    checkIn: checkInOpen && {
      error: form.section === 'check-in' ? form.error : undefined,
      rows: seated.map((entry) => {
        const name = `mark:${entry.ticketNumber}`;
        const mark = typed[name] ?? (entry.attendance ? (entry.attendance.present ? 'present' : 'absent') : '');
        return {
          ...entry,
          seatLabel: seatOf(entry.seat),
          name,
          present: mark === 'present',
          absent: mark === 'absent',
        };
      }),
    },
    sheet: sheetOpen && {
      error: form.section === 'scores' ? form.error : undefined,
      importError: form.section === 'import' ? form.error : undefined,
      preview: form.preview && {
        ...form.preview,
        lines: form.preview.lines.map(({ error, ...line }) => ({ ...line, error: error && messageText(t, error) })),
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
            seatLabel: seatOf(entry.seat),
            knowledge: value('knowledge'),
            skills: value('skills'),
            disqualified,
            sitsKnowledge: entry.resitPart !== 'skills',
            sitsSkills: entry.resitPart !== 'knowledge',
          };
        }),
    },
    history: [...view.history].reverse().map((event) => ({
      at: event.at,
      what: eventName(t, event, view.tasks),
      by: event.by && personName(reader, event.by),
      comment: event.comment,
    })),
  };
  // A refusal is shown beside its form; one whose form has left the page meanwhile (the task was done by someone
  // else, registration closed) goes at the top of the page instead.
  const forms = { seat: model.seating, cancel: model.cancelling, 'check-in': model.checkIn, scores: model.sheet };
  const refusalShown = form.taskId
    ? model.openTasks.some((task) => task.id === form.taskId)
    : !!form.section && !!forms[form.section === 'import' ? 'scores' : form.section];
  return { ...model, refusalShown };
}

function taskModel(view: SessionView, task: SessionTask, user: User, form: SessionForm, reader: Reader) {
  const { t } = reader;
  const shape = TASK_FORMS[task.kind];
  const refused = form.taskId === task.id;
  const typed = refused ? (form.typed ?? {}) : {};
  const mayAct =
    user.roles.includes(task.candidateGroup) ||
    user.roles.includes(task.supervisingGroup) ||
    user.roles.includes('administrators');
  const who = { group: groupName(reader, task.candidateGroup), due: formatDateTime(task.dueAt, reader.language) };
  return {
    id: task.id,
    label: sessionTaskLabel(t, task.kind),
    line: task.assignee
      ? t('session:tasks.forClaimed', { ...who, assignee: personName(reader, task.assignee) })
      : t('session:tasks.for', who),
    form: mayAct && shape && shape.buttons.length > 0 && taskFormWords(t, task.kind),
    error: refused ? form.error : undefined,
    comment: refused ? form.comment : '',
    batch: mayAct && shape?.takeOut && batchRows(view, shape.takeOut, typed, t),
  };
}

/** The candidates still in the batch, each with a choice to take them out and a reason (kept when refused). */
function batchRows(view: SessionView, choices: TakeOutChoice[], typed: Record<string, string>, t: TFunction) {
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
        choices: choices.map((value) => ({
          value,
          label: t(`session:batch.takeOut.${value}`),
          selected: value === chosen,
        })),
        reason: typed[`why:${ticketNumber}`] ?? '',
      };
    });
}

/** Where the batch stands: who joined, who was taken out and why, each level's decision, the numbers reserved. */
function resultsModel(view: SessionView, reader: Reader) {
  const { t } = reader;
  const results = view.results!;
  // Each level as the session's task names it, not as a single case's task would.
  const levelOf = (caseKind: string) => {
    const level = RESULT_LEVELS.find((l) => l.caseKind === caseKind);
    return level ? sessionTaskLabel(t, level.kind) : caseKind;
  };
  const joined = { joined: results.lines.length, count: results.expected, late: results.late.length };
  return {
    summary: t(joined.late ? 'session:results.joinedLate' : 'session:results.joined', joined),
    decisions: results.decisions.map((d) =>
      t(d.comment ? 'session:results.decisionWhy' : 'session:results.decision', {
        level: levelOf(d.kind),
        decision: t(`session:results.decided.${d.decision}`),
        by: personName(reader, d.by),
        at: formatDateTime(d.at, reader.language),
        comment: d.comment,
      }),
    ),
    lines: [...results.lines]
      .sort((a, b) => a.ticketNumber.localeCompare(b.ticketNumber))
      .map((line) => ({
        ...line,
        standing: line.takenOut
          ? t(line.takenOut.decision === 'reject' ? 'session:results.rejectedAt' : 'session:results.returnedAt', {
              level: levelOf(line.takenOut.kind),
              reason: line.takenOut.comment,
            })
          : line.left
            ? t('session:results.left', { reason: line.left.reason })
            : results.done
              ? t('session:results.approved')
              : t('session:results.inBatch'),
      })),
  };
}

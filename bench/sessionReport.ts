/**
 * The session bench's figures: each span in total and per candidate beside the same work done case by case, their
 * ratio, and the size of the session's history over all its runs (continue-as-new), printed for people and kept in
 * the JSON results under `session`.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { CaseByCaseTimes } from './caseByCase';
import { percentile, type Timed } from './measure';
import { type HistoryShape, historyShape } from './report';
import type { SessionRoundTimes } from './sessionRound';

const { History, HistoryEvent } = proto.temporal.api.history.v1;
const { EventType } = proto.temporal.api.enums.v1;

export interface Span {
  seconds: number;
  perCandidateMs: number;
  /** CPU time of this process (the workers, client and driver) per candidate: steadier on a shared machine. */
  processCpuMsPerCandidate: number;
}

/** One span of the session beside the same work case by case; ratio < 1: the session is cheaper per candidate. */
export interface ComparedSpan {
  session: Span;
  caseByCase: Span;
  /** Session per candidate over case by case per candidate, in wall time. */
  ratio: number;
  /** The same in this process's CPU time. */
  cpuRatio: number;
}

export interface RunHistory {
  events: number;
  /** Encoded as Temporal stores and sends it (protobuf), like the per-case figures of the main bench. */
  historyBytes: number;
  /** As JSON, as the Web UI and `temporal workflow show --output json` give it. */
  jsonBytes: number;
}

/** Where a history's bytes go: the event types that carry the most. */
export interface EventTypeShare {
  type: string;
  events: number;
  bytes: number;
}

export interface SessionFigures {
  candidates: number;
  caseByCaseCases: number;
  concurrency: number;
  sessionId: string;
  /** How far ahead the registration cut-off was planned; each part lasted one second after it. */
  cutOffAfterPlanningSeconds: number;
  seating: { seconds: number; perCandidateMs: number; updateP50Ms: number; updateP95Ms: number };
  /** Session: from the score check's approval to every case at result approval in the batch. Case by case: from
   * the first scores sent on each case's own exam task to every case at result approval. */
  sheetToAdvanced: ComparedSpan;
  /** Session: from the department's batch approval to every certificate issued. Case by case: from the first of
   * three approvals per case to every certificate issued. */
  departmentToIssued: ComparedSpan;
  /** As above, but the session's span starts at the station's summary: all three batch levels, like the baseline. */
  summaryToIssued: ComparedSpan;
  sessionHistory: RunHistory & { runs: number; byRun: RunHistory[]; largestEventTypes: EventTypeShare[] };
  /** One case's whole history of each kind (still open, at its print task). */
  caseHistory: { session: HistoryShape; caseByCase: HistoryShape };
}

export async function sessionFigures(
  client: Client,
  round: SessionRoundTimes,
  baseline: CaseByCaseTimes,
  concurrency: number,
): Promise<SessionFigures> {
  const candidates = round.final.roster.length;
  const compared = (sessionSpan: Timed, caseByCaseSpan: Timed): ComparedSpan => {
    const session = span(sessionSpan, candidates);
    const caseByCase = span(caseByCaseSpan, baseline.cases);
    return {
      session,
      caseByCase,
      ratio: round3(session.perCandidateMs / caseByCase.perCandidateMs),
      cpuRatio: round3(session.processCpuMsPerCandidate / caseByCase.processCpuMsPerCandidate),
    };
  };
  const { byRun, largestEventTypes } = await historyOfRuns(client, round.workflowId);
  const sum = (key: keyof RunHistory) => byRun.reduce((total, run) => total + run[key], 0);
  if (byRun.length !== round.final.runs) {
    throw new Error(`session ${round.sessionId} counts ${round.final.runs} runs; its history has ${byRun.length}`);
  }
  return {
    candidates,
    caseByCaseCases: baseline.cases,
    concurrency,
    sessionId: round.sessionId,
    cutOffAfterPlanningSeconds: round2(round.cutOffAfterMs / 1000),
    seating: {
      seconds: round2(round.seating.ms / 1000),
      perCandidateMs: round2(round.seating.ms / candidates),
      updateP50Ms: round2(percentile(round.seating.latenciesMs, 50)),
      updateP95Ms: round2(percentile(round.seating.latenciesMs, 95)),
    },
    sheetToAdvanced: compared(round.sheetToAdvanced, baseline.scoresToAdvanced),
    departmentToIssued: compared(round.departmentToIssued, baseline.approvalsToIssued),
    summaryToIssued: compared(round.summaryToIssued, baseline.approvalsToIssued),
    sessionHistory: {
      runs: byRun.length,
      events: sum('events'),
      historyBytes: sum('historyBytes'),
      jsonBytes: sum('jsonBytes'),
      byRun,
      largestEventTypes,
    },
    caseHistory: {
      session: await historyShape(client.workflow.getHandle(round.sampleWorkflowId)),
      caseByCase: await historyShape(client.workflow.getHandle(baseline.sampleWorkflowId)),
    },
  };
}

/**
 * Every run of the workflow, first to last, followed back from the latest through each run's predecessor; and the
 * event types that carry most of their bytes over all runs (the five largest).
 */
export async function historyOfRuns(
  client: Client,
  workflowId: string,
): Promise<{ byRun: RunHistory[]; largestEventTypes: EventTypeShare[] }> {
  const byRun: RunHistory[] = [];
  const byType = new Map<string, EventTypeShare>();
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const encoded = History.encode(history).finish();
    const json = History.toObject(History.decode(encoded), { longs: String, enums: String, bytes: String });
    byRun.unshift({
      events: events.length,
      historyBytes: encoded.length,
      jsonBytes: Buffer.byteLength(JSON.stringify(json)),
    });
    for (const event of events) {
      const type = String(EventType[event.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
      const share = byType.get(type) ?? { type, events: 0, bytes: 0 };
      share.events++;
      share.bytes += HistoryEvent.encode(event).finish().length;
      byType.set(type, share);
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId) break;
  }
  const largestEventTypes = [...byType.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  return { byRun, largestEventTypes };
}

export function printSessionFigures(f: SessionFigures): void {
  const row = (label: string, s: string | number, c: string | number, ratio: string | number = '') =>
    `  ${label.padEnd(40)}${String(s).padStart(10)}${String(c).padStart(14)}${String(ratio).padStart(8)}`;
  const spanRows = (label: string, { session, caseByCase, ratio, cpuRatio }: ComparedSpan) => [
    `  ${label}`,
    row('    total (s)', session.seconds, caseByCase.seconds),
    row('    per candidate (ms)', session.perCandidateMs, caseByCase.perCandidateMs, ratio.toFixed(3)),
    row(
      '    CPU of this process per candidate (ms)',
      session.processCpuMsPerCandidate,
      caseByCase.processCpuMsPerCandidate,
      cpuRatio.toFixed(3),
    ),
  ];
  const h = f.sessionHistory;
  console.log(
    [
      '',
      `Appraisal session: ${f.candidates} candidates in session ${f.sessionId}, beside ${f.caseByCaseCases} cases ` +
        `case by case (${f.concurrency} at a time); cut-off ${f.cutOffAfterPlanningSeconds} s after planning, parts of 1 s`,
      `  seating: ${f.seating.seconds} s (${f.seating.perCandidateMs} ms a candidate), ` +
        `seat round trip p50 ${f.seating.updateP50Ms} ms, p95 ${f.seating.updateP95Ms} ms`,
      '',
      row('', 'session', 'case by case', 'ratio'),
      ...spanRows('score sheet checked -> every case at result approval', f.sheetToAdvanced),
      ...spanRows('department approval -> every certificate issued', f.departmentToIssued),
      ...spanRows('station summary -> every certificate issued (all three levels)', f.summaryToIssued),
      row('history of one case: events', f.caseHistory.session.events, f.caseHistory.caseByCase.events),
      row(
        'history of one case (KB)',
        kb(f.caseHistory.session.historyBytes),
        kb(f.caseHistory.caseByCase.historyBytes),
      ),
      '',
      `  session workflow history: ${h.events} events, ${kb(h.historyBytes)} KB (${kb(h.jsonBytes)} KB as JSON) ` +
        `over ${h.runs} run${h.runs === 1 ? '' : 's'}: ` +
        h.byRun.map((r) => `${r.events} events / ${kb(r.historyBytes)} KB`).join(', '),
      `    its bytes go mostly to: ` +
        h.largestEventTypes.map((t) => `${t.type} ${kb(t.bytes)} KB (${t.events} events)`).join(', '),
    ].join('\n'),
  );
}

const span = ({ ms, cpuMs }: Timed, candidates: number): Span => ({
  seconds: round2(ms / 1000),
  perCandidateMs: round2(ms / candidates),
  processCpuMsPerCandidate: round2(cpuMs / candidates),
});
const round2 = (x: number) => Number(x.toFixed(2));
const round3 = (x: number) => Number(x.toFixed(3));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

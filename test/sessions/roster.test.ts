/**
 * A session of 2,000 candidates: its history stays bounded. Every seat is an Update in the session's history, so
 * the session carries itself over into a new run (continue-as-new) as its history grows, and the roster, the
 * ticket numbers and the seats go along whole.
 *
 * The seats are requested through the session's own update, for application numbers no case holds: 2,000 real cases
 * would measure the cases, not the session. The session's notice to each of those "cases" fails, and it frees that
 * seat again, the way it does for a case that has ended; so the same seats are handed out again and again.
 */
import { Level } from '../../domain/levels';
import { sessionHandle, sessionState } from '../../runtime/sessions';
import { CARRY_OVER_AFTER_EVENTS } from '../../workflows/session';
import { type RosterEntry, seatCandidate, SessionStage } from '../../workflows/sessionDefinitions';
import { actors } from '../helpers/actors';
import { testWithHarness } from '../helpers/harnessTests';
import { approvedSession, planAhead } from './helpers';

const test = testWithHarness({ flavour: 'time-skipping', policy: { appraisalSessions: true } });

const CANDIDATES = 2_000;
/** Clerks seating at once. */
const AT_ONCE = 16;

test.serial('a session seats 2,000 candidates, and each run of its history stays bounded', async (t) => {
  const h = t.context;
  const rooms = Array.from({ length: 20 }, (_, i) => ({ name: `Room ${101 + i}`, seats: 100 }));
  const sessionId = await approvedSession(h, await planAhead(h, { overrides: { rooms } }));
  const session = sessionHandle(h.client, sessionId);

  const numbers = Array.from({ length: CANDIDATES }, (_, i) => `STATION-A-2026-${String(i + 1).padStart(6, '0')}`);
  const entries: RosterEntry[] = [];
  let next = 0;
  const clerk = async () => {
    while (next < numbers.length) {
      const applicationNumber = numbers[next++];
      const entry = await session.executeUpdate(seatCandidate, {
        args: [
          {
            actor: actors.stationClerk,
            applicationNumber,
            occupation: 'baker',
            level: Level.Primary,
            stationId: 'station-a',
          },
        ],
      });
      entries.push(entry);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: AT_ONCE }, clerk));
  t.log(`${CANDIDATES} seat requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const view = await sessionState(h.client, sessionId);
  t.is(view.stage, SessionStage.Registration);
  t.is(view.roster.length, CANDIDATES);
  t.deepEqual(
    view.roster.map((entry) => entry.ticketNumber),
    numbers.map((_, i) => `${sessionId}-${String(i + 1).padStart(4, '0')}`),
    'every request got the next ticket number, none twice',
  );
  t.deepEqual(new Set(entries.map((entry) => entry.applicationNumber)).size, CANDIDATES);

  // Walk the runs back from the last: each started from the one before (continue-as-new).
  const lengths: number[] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await h.client.workflow.getHandle(session.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.unshift(events.length);
    const first = events[0]?.workflowExecutionStartedEventAttributes;
    runId = first?.continuedExecutionRunId ?? undefined;
    if (!runId) break;
  }
  t.log(`runs: ${lengths.length}; events per run: ${lengths.join(', ')}`);
  t.is(lengths.length, view.runs);
  t.true(lengths.length >= 3, `the session carried itself over (${lengths.length} runs)`);
  const bound = CARRY_OVER_AFTER_EVENTS + 1_000;
  t.true(
    lengths.every((length) => length <= bound),
    `every run has at most ${bound} events (${lengths.join(', ')})`,
  );
});

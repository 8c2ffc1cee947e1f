/**
 * Steps for investigation tests: issue a real certificate by driving a level 5 case to the end, file reports through
 * the same client function the CLI uses, and wait for what people would see (the investigation, the registry).
 */
import type { ExecutionContext } from 'ava';
import { Level } from '../../domain/levels';
import type { Message } from '../../domain/messages';
import { findCertificate, type RegistryEntry } from '../../records/registry';
import {
  decide,
  investigationHandle,
  reportViolation,
  ReportRefused,
  type ReportInput,
} from '../../runtime/investigations';
import { RefusalType, TaskStatus } from '../../workflows/definitions';
import {
  type InvestigationTask,
  type InvestigationView,
  DECISIONS_OF,
  getInvestigationState,
  InvestigationDecision,
  InvestigationTaskKind,
  ReportCategory,
} from '../../workflows/investigationDefinitions';
import { actors } from '../helpers/actors';
import { applicationFor } from '../helpers/applications';
import { driveTo, eventually, serverNow } from '../helpers/cases';
import { stateOf, type Harness } from '../helpers/harness';

export interface IssuedCertificate {
  number: string;
  applicationNumber: string;
}

/** A sealed, handed-over certificate in the registry, issued the way every certificate is. */
export async function issueCertificate(h: Harness): Promise<IssuedCertificate> {
  const application = applicationFor(Level.Primary);
  const handle = await h.start(application);
  await driveTo(handle);
  const view = await stateOf(handle);
  return { number: view.certificate!.number, applicationNumber: application.applicationNumber };
}

export const clientDeps = (h: Harness) => ({ client: h.client, db: h.deps.db, taskQueue: h.taskQueue });

export const DESCRIPTION = 'The holder sat the skills exam with a phone and copied the answers from a messaging group.';

export async function report(h: Harness, certificateNumber: string, overrides: Partial<ReportInput['report']> = {}) {
  return reportViolation(clientDeps(h), {
    certificateNumber,
    report: {
      reporter: 'liu.invigilator',
      category: ReportCategory.Cheating,
      description: DESCRIPTION,
      reportedAt: new Date(await serverNow(h)).toISOString(),
      ...overrides,
    },
  });
}

export const stateOfInvestigation = (h: Harness, id: string) =>
  investigationHandle(h.client, id).query(getInvestigationState);

export async function waitForInvestigation(
  h: Harness,
  id: string,
  what: string,
  check: (view: InvestigationView) => boolean,
): Promise<InvestigationView> {
  let last: InvestigationView | undefined;
  try {
    return await eventually(what, async () => {
      last = await stateOfInvestigation(h, id).catch(() => undefined);
      return last && check(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; stage ${last?.stage}`);
  }
}

export const openTaskOf = (view: InvestigationView, kind: InvestigationTaskKind): InvestigationTask | undefined =>
  view.tasks.find((task) => task.kind === kind && task.status === TaskStatus.Open);

export const waitForTask = async (h: Harness, id: string, kind: InvestigationTaskKind) =>
  openTaskOf(await waitForInvestigation(h, id, `an open ${kind} task`, (v) => !!openTaskOf(v, kind)), kind)!;

/** The department's decision on the open task, once that task is open. */
export async function departmentDecides(
  h: Harness,
  id: string,
  decision: InvestigationDecision,
  reason: string,
  actor = actors.departmentApprover,
) {
  const kind = DECISIONS_OF[InvestigationTaskKind.Decision].includes(decision)
    ? InvestigationTaskKind.Decision
    : InvestigationTaskKind.AppealReview;
  await waitForTask(h, id, kind);
  return decide(h.client, id, decision, { actor, reason });
}

/** The registry entry once its status is `status`; the status activity runs right after the decision. */
export const waitForRegistryStatus = (
  h: Harness,
  number: string,
  status: RegistryEntry['status'],
  lastChange?: string,
) =>
  eventually(
    `certificate ${number} to be ${status}${lastChange ? ` (${lastChange})` : ''}`,
    async () => {
      const entry = await findCertificate(h.deps.db, number);
      const matches = entry?.status === status && (!lastChange || entry.lastChange?.status === lastChange);
      return matches ? entry : undefined;
    },
    5_000,
  );

/** The notices the holder received about a certificate's application, by kind, oldest first, in English. */
export async function holderNotices(h: Harness, applicationNumber: string) {
  return h.deps.db
    .selectFrom('notifications')
    .select((eb) => [
      'key',
      'kind',
      'recipient',
      'email',
      eb.fn.coalesce('subject_en', 'subject').as('subject'),
      eb.fn.coalesce('body_en', 'body').as('body'),
      'link',
    ])
    .where('application_number', '=', applicationNumber)
    .where('recipient', '=', 'candidate')
    .where('kind', 'in', [
      'investigation-opened',
      'investigation-closed',
      'certificate-revoked',
      'certificate-reinstated',
    ])
    .orderBy('id')
    .execute();
}

export const waitForHolderNotice = (h: Harness, applicationNumber: string, kind: string) =>
  eventually(`a ${kind} notice to the holder`, async () =>
    (await holderNotices(h, applicationNumber)).find((notice) => notice.kind === kind),
  );

/**
 * Asserts a report was refused before anything started, naming the field, with this type and either what it says
 * about the field (its Message's key, and those of its values given) or an English message matching a pattern.
 */
export async function reportRefused(
  t: ExecutionContext,
  filing: Promise<unknown>,
  expected: { type: RefusalType; field: string; message: RegExp | Message },
): Promise<void> {
  const error = await t.throwsAsync(filing, { instanceOf: ReportRefused });
  t.is(error?.type, expected.type);
  t.is(error?.field, expected.field);
  if (expected.message instanceof RegExp) t.regex(error?.message ?? '', expected.message);
  else t.like(error?.said, expected.message, error?.message);
}

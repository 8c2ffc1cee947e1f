/**
 * Personal data after the retention period (records/retention.ts, activities/retention.ts), on SQLite and on
 * PostgreSQL: a case closed longer ago than the period loses its candidate's name, ID number and email from every
 * table, and its certificate's PDF, while the certificate registry keeps what verification needs; a recently closed
 * case and an open one keep everything; a second run changes nothing; the audit chain still verifies.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import test, { type ExecutionContext } from 'ava';
import { sql } from 'kysely';
import { createCertificateDocumentActivities } from '../../activities/certificateDocument';
import { createCertificateActivities } from '../../activities/certificates';
import { createNotificationActivities } from '../../activities/notifications';
import { createRetentionActivities, type RemovalSummary } from '../../activities/retention';
import { loadSealKeys } from '../../activities/seal';
import { Level } from '../../domain/levels';
import { verifyAuditChain } from '../../records/audit';
import { storeDocument } from '../../records/documents';
import { findIndexedCase, indexNewCase, updateCaseStage } from '../../records/caseIndex';
import { addComment } from '../../records/comments';
import type { Db } from '../../records/database';
import type { Database } from '../../records/schema';
import { projectTasks } from '../../records/tasks';
import { type CaseView, Stage, workflowIdFor } from '../../workflows/definitions';
import { type CertificateEnv, startWebApp } from '../certificates/fixtures';
import { applicationFor } from '../helpers/applications';
import { DIALECTS, freshDatabase } from './databases';
import { taskRow } from './taskRows';
import { seedDemoOrganisations } from '../../records/demoProvince';

const NOW = '2030-06-01T03:00:00.000Z';
const DAY = 86_400_000;
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();
const RETENTION_DAYS = 30;

interface Person {
  name: string;
  idNumber: string;
  email: string;
}

const OLD: Person = { name: '张伟明', idNumber: '11010519491231002X', email: 'zhang.weiming@example.org' };
const RECENT: Person = { name: '李娜', idNumber: '440524188001010014', email: 'li.na@example.org' };
const OPEN: Person = { name: '王芳', idNumber: '110101199003071233', email: 'wang.fang@example.org' };

interface Setup {
  db: Db;
  certificateDir: string;
  seal: ReturnType<typeof loadSealKeys>;
}

async function setUp(t: ExecutionContext, dialect: (typeof DIALECTS)[number]): Promise<Setup> {
  const { db } = await freshDatabase(t, dialect);
  await seedDemoOrganisations(db);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qualiflow-retention-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { db, certificateDir: path.join(dir, 'certificates'), seal: loadSealKeys(path.join(dir, 'keys'), () => {}) };
}

/**
 * A case as the product leaves it: indexed with its candidate, a notice to the candidate and one to a group that
 * quotes the person, a comment and a return's reason that name them, and, once closed, a handed-over certificate
 * with its PDF. Returns the certificate's number (undefined for an open case).
 */
async function seedCase(
  { db, certificateDir, seal }: Setup,
  person: Person,
  closedAt: string | undefined,
  files: string[] = [],
): Promise<{ applicationNumber: string; certificate?: string }> {
  const application = applicationFor(Level.Primary, {
    candidate: { name: person.name, idType: 'resident-id', idNumber: person.idNumber, email: person.email },
  });
  // Files handed in at intake: the application names them by their hash.
  application.documents.push(
    ...files.map((sha256) => ({ kind: 'id-document' as const, reference: `sha256:${sha256}` })),
  );
  const number = application.applicationNumber;
  await indexNewCase(db, application, daysBefore(400));
  const stage = closedAt ? Stage.Issued : Stage.CenterReview;
  const view = {
    applicationNumber: number,
    stage,
    application,
    submittedAt: daysBefore(400),
    ...(closedAt && { outcome: { stage, at: closedAt } }),
  } as CaseView;
  await updateCaseStage(db, view, 9);

  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const { notify } = createNotificationActivities({ db, publicUrl: 'http://127.0.0.1:3000' });
  await env.run(notify, {
    key: `${number}/candidate`,
    kind: 'case-closed' as const,
    applicationNumber: number,
    recipient: { candidate: { name: person.name, email: person.email } },
    stage,
  });
  await env.run(notify, {
    key: `${number}/group`,
    kind: 'case-closed' as const,
    applicationNumber: number,
    recipient: { group: 'station-a:reviewers' },
    stage,
    reason: `${person.name} (${person.idNumber.toLowerCase()}) brought the wrong documents`,
  });
  await addComment(db, {
    id: `${number}-comment`,
    applicationNumber: number,
    authorId: 'li.station-reviewer',
    body: `Called ${person.name}: ID ${person.idNumber} checked against the original.`,
    createdAt: daysBefore(390),
  });
  await projectTasks(db, [
    taskRow({
      workflow_id: workflowIdFor(number),
      task_id: 'station-review-1',
      status: 'done',
      return_reason: `Ask ${person.name} for a clearer copy`,
    }),
  ]);
  if (!closedAt) return { applicationNumber: number };

  const certificates = createCertificateActivities({ db, seal, format: 'skill-level' });
  const { number: certificate } = await certificates.assignCertificateNumber({
    applicationNumber: number,
    level: Level.Primary,
    stationId: 'station-a',
    issuedOn: closedAt.slice(0, 10),
  });
  await certificates.sealCertificate({
    number: certificate,
    holderName: person.name,
    idType: 'resident-id',
    idNumber: person.idNumber,
    occupation: 'baker',
    level: Level.Primary,
    stationId: 'station-a',
    issuedOn: closedAt.slice(0, 10),
  });
  const documents = createCertificateDocumentActivities({
    db,
    seal,
    publicUrl: 'http://127.0.0.1:3000',
    outputDir: certificateDir,
  });
  await new MockActivityEnvironment().run(documents.renderCertificate, { number: certificate });
  await db
    .insertInto('handovers')
    .values({
      application_number: number,
      certificate_number: certificate,
      handed_over_by: 'sun.clerk',
      handed_over_at: closedAt,
      note: `Collected by ${person.name} in person`,
    })
    .execute();
  return { applicationNumber: number, certificate };
}

const TABLES: (keyof Database)[] = [
  'cases',
  'notifications',
  'case_comments',
  'tasks',
  'handovers',
  'certificates',
  'certificate_status_changes',
  'admission_tickets',
  'audit_log',
  'flashes',
  'appraisal_sessions',
  'sequences',
];

/** Every row of every table that holds case data, as text. */
async function everything(db: Db): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().execute();
    dump[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return dump;
}

/** The tables some row of which contains the text, in any letter case. */
async function tablesHolding(db: Db, text: string): Promise<string[]> {
  const dump = await everything(db);
  const needle = text.toLowerCase();
  return Object.keys(dump).filter((table) => dump[table].some((row) => row.toLowerCase().includes(needle)));
}

const removal = (setup: Setup) =>
  createRetentionActivities({
    db: setup.db,
    certificateDir: setup.certificateDir,
    personalDataRetentionDays: RETENTION_DAYS,
  }).removeExpiredPersonalData;

const runRemoval = (setup: Setup) =>
  new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(removal(setup), {
    now: NOW,
  }) as Promise<RemovalSummary>;

for (const dialect of DIALECTS) {
  test(`${dialect}: a case closed longer ago than the period keeps no name, ID number or email outside the registry`, async (t) => {
    const setup = await setUp(t, dialect);
    const old = await seedCase(setup, OLD, daysBefore(RETENTION_DAYS + 10));
    // The handover note and the return's reason name the person without the ID number.
    t.deepEqual(await tablesHolding(setup.db, OLD.idNumber), [
      'cases',
      'notifications',
      'case_comments',
      'certificates',
    ]);
    t.deepEqual(
      await tablesHolding(setup.db, OLD.name),
      ['cases', 'notifications', 'case_comments', 'tasks', 'handovers', 'certificates'],
      'the seeded case holds the person everywhere',
    );
    const pdf = path.join(setup.certificateDir, `${old.certificate}.pdf`);
    t.true(existsSync(pdf));

    const summary = await runRemoval(setup);

    t.deepEqual(summary, {
      count: 1,
      removed: [old.applicationNumber],
      retentionDays: RETENTION_DAYS,
      unclaimedFilesDeleted: 0,
    });
    t.deepEqual(await tablesHolding(setup.db, OLD.idNumber), ['certificates'], 'only the sealed registry entry');
    t.deepEqual(await tablesHolding(setup.db, OLD.name), ['certificates']);
    t.deepEqual(await tablesHolding(setup.db, OLD.email), []);
    t.false(existsSync(pdf), 'the certificate PDF is deleted');

    const row = await findIndexedCase(setup.db, old.applicationNumber);
    t.is(row?.candidate_name, null);
    t.is(row?.id_number, null);
    t.is(row?.personal_data_removed_at, NOW);
    const candidateNotice = await setup.db
      .selectFrom('notifications')
      .select(['subject', 'body', 'body_en', 'email'])
      .where('application_number', '=', old.applicationNumber)
      .where('recipient', '=', 'candidate')
      .executeTakeFirstOrThrow();
    t.deepEqual(candidateNotice, {
      subject: '个人信息已按保存期限删除',
      body: '个人信息已按保存期限删除',
      body_en: 'Personal data removed after the retention period',
      email: null,
    });
    const comment = await setup.db.selectFrom('case_comments').select('body').executeTakeFirstOrThrow();
    t.is(comment.body, 'Called ***: ID *** checked against the original.');

    // Public verification still answers for the certificate, from what the registry kept.
    // The certificate tests' web app: it reads only the registry and the seal keys.
    const web = await startWebApp({ db: setup.db, seal: setup.seal } as CertificateEnv);
    t.teardown(() => web.close());
    const answer = await web.get(`/api/certificates/${old.certificate}`);
    t.is(answer.status, 200);
    t.like(await answer.json(), {
      status: 'valid',
      number: old.certificate,
      holder: { name: '张**', idNumber: '110105********002X' },
      signatureValid: true,
    });

    const audit = await setup.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'workflow_id', 'details'])
      .where('action', '=', 'personal-data-removed')
      .execute();
    t.deepEqual(
      audit.map((entry) => ({ ...entry, details: JSON.parse(entry.details) as unknown })),
      [
        {
          actor: 'qualiflow',
          action: 'personal-data-removed',
          workflow_id: workflowIdFor(old.applicationNumber),
          details: {
            closedAt: daysBefore(RETENTION_DAYS + 10),
            retentionDays: RETENTION_DAYS,
            certificatesKept: [old.certificate],
            documentsDeleted: [`${old.certificate}.pdf`],
            uploadsDeleted: 0,
          },
        },
      ],
    );
    t.like(await verifyAuditChain(setup.db), { ok: true });
  });

  test(`${dialect}: a recently closed case and an open case keep everything, and a second run changes nothing`, async (t) => {
    const setup = await setUp(t, dialect);
    const old = await seedCase(setup, OLD, daysBefore(RETENTION_DAYS + 1));
    const recent = await seedCase(setup, RECENT, daysBefore(RETENTION_DAYS - 1));
    const open = await seedCase(setup, OPEN, undefined);
    const before = {
      recent: await tablesHolding(setup.db, RECENT.idNumber),
      open: await tablesHolding(setup.db, OPEN.idNumber),
      recentRow: await findIndexedCase(setup.db, recent.applicationNumber),
      openRow: await findIndexedCase(setup.db, open.applicationNumber),
    };

    t.deepEqual((await runRemoval(setup)).removed, [old.applicationNumber]);
    const afterFirst = await everything(setup.db);

    t.deepEqual(await tablesHolding(setup.db, RECENT.idNumber), before.recent);
    t.deepEqual(await tablesHolding(setup.db, OPEN.idNumber), before.open);
    t.deepEqual(await findIndexedCase(setup.db, recent.applicationNumber), before.recentRow);
    t.deepEqual(await findIndexedCase(setup.db, open.applicationNumber), before.openRow);
    t.true(existsSync(path.join(setup.certificateDir, `${recent.certificate}.pdf`)));

    t.deepEqual((await runRemoval(setup)).removed, [], 'nothing is left to remove');
    t.deepEqual(await everything(setup.db), afterFirst, 'the second run changes nothing');
    t.like(await verifyAuditChain(setup.db), { ok: true, count: 1 });
  });

  test(`${dialect}: intake run again over a removed case does not bring its person back`, async (t) => {
    const setup = await setUp(t, dialect);
    const old = await seedCase(setup, OLD, daysBefore(RETENTION_DAYS + 1));
    await runRemoval(setup);
    const application = applicationFor(Level.Primary, {
      applicationNumber: old.applicationNumber,
      candidate: { name: OLD.name, idType: 'resident-id', idNumber: OLD.idNumber },
    });
    await indexNewCase(setup.db, application, daysBefore(400));
    const row = await findIndexedCase(setup.db, old.applicationNumber);
    t.is(row?.candidate_name, null);
    t.is(row?.id_number, null);
  });
}

/** A PDF of its own for each text: a stored file the test can tell apart. */
const pdfOf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

const storedFiles = async (db: Db) =>
  (await db.selectFrom('documents').select('sha256').orderBy('sha256').execute()).map((row) => row.sha256);

for (const dialect of DIALECTS) {
  test(`${dialect}: a removed case's files go, except one another case still names; files no case names go after a day`, async (t) => {
    const setup = await setUp(t, dialect);
    const stored = async (text: string, at: string) =>
      (await storeDocument(setup.db, pdfOf(text), new Date(at))).sha256;
    const idCopy = await stored(`ID card of ${OLD.name}`, daysBefore(400));
    const diploma = await stored('a diploma both applications name', daysBefore(400));
    const abandoned = await stored('handed in with a form never sent again', daysBefore(2));
    const justReceived = await stored(
      'handed in an hour ago, its form not yet sent again',
      NOW.replace('03:00', '02:00'),
    );
    const old = await seedCase(setup, OLD, daysBefore(RETENTION_DAYS + 10), [idCopy, diploma]);
    await seedCase(setup, RECENT, daysBefore(RETENTION_DAYS - 10), [diploma]);

    const summary = await runRemoval(setup);

    t.deepEqual(summary.removed, [old.applicationNumber]);
    t.is(summary.unclaimedFilesDeleted, 1);
    t.deepEqual(
      await storedFiles(setup.db),
      [diploma, justReceived].sort(),
      'the ID copy and the abandoned file are gone',
    );
    const audit = await setup.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'personal-data-removed')
      .executeTakeFirstOrThrow();
    t.like(JSON.parse(audit.details), { uploadsDeleted: 1 });
    t.not(abandoned, idCopy);

    // The second case's removal takes the file the first one shared with it.
    const later = createRetentionActivities({
      db: setup.db,
      certificateDir: setup.certificateDir,
      personalDataRetentionDays: 1,
    });
    await new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(
      later.removeExpiredPersonalData,
      { now: NOW },
    );
    t.deepEqual(await storedFiles(setup.db), [justReceived]);
  });
}

/** Makes every audit append fail, as a process dying before its commit would leave the transaction undone. */
async function breakAuditAppends(db: Db, dialect: (typeof DIALECTS)[number]): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER crash BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'crashed'); END`.execute(db);
    return async () => void (await sql`DROP TRIGGER crash`.execute(db));
  }
  await sql`CREATE FUNCTION crash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'crashed'; END $$ LANGUAGE plpgsql`.execute(
    db,
  );
  await sql`CREATE TRIGGER crash BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION crash()`.execute(db);
  return async () => void (await sql`DROP TRIGGER crash ON audit_log`.execute(db));
}

for (const dialect of DIALECTS) {
  test(`${dialect}: a run that dies before its commit changes no row, and the next run finishes the case`, async (t) => {
    const setup = await setUp(t, dialect);
    const old = await seedCase(setup, OLD, daysBefore(RETENTION_DAYS + 1));
    const before = await everything(setup.db);
    const repair = await breakAuditAppends(setup.db, dialect);

    // better-sqlite3's SqliteError is not a native Error object; its message tells the crash apart all the same.
    await t.throwsAsync(runRemoval(setup), { any: true, message: /crashed/ });
    t.deepEqual(await everything(setup.db), before, 'the case, its notices and comments are as they were');
    t.false(existsSync(path.join(setup.certificateDir, `${old.certificate}.pdf`)), 'its document went first');

    await repair();
    t.deepEqual((await runRemoval(setup)).removed, [old.applicationNumber]);
    t.deepEqual(await tablesHolding(setup.db, OLD.idNumber), ['certificates']);
    t.like(await verifyAuditChain(setup.db), { ok: true, count: 1 });
  });
}

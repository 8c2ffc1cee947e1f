import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { type AuditEntry, appendAudit, auditTrailOf, GENESIS_HASH, verifyAuditChain } from '../../records/audit';
import type { Db } from '../../records/database';
import type { DialectName } from '../../records/dialect';
import { PROJECT_ROOT } from '../../runtime/temporalServer';
import { CHINESE_TERMINAL, ENGLISH_TERMINAL } from '../helpers/terminal';
import { DIALECTS, freshDatabase } from './databases';

const decision = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2026, 2, 1, 8, n)).toISOString(),
  actor: 'li.station-reviewer',
  action: 'task-approve',
  workflowId: `application-QF-2026-${String(n).padStart(6, '0')}`,
  taskId: 'station-review-1',
  comment: `documents complete (${n})`,
  details: { stage: 'station-review', scores: { skills: 90, knowledge: 82 } },
  ...overrides,
});

async function chainOf(db: Db, length: number): Promise<void> {
  for (let n = 1; n <= length; n++) await appendAudit(db, decision(n), `decision-${n}`);
}

const intact = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    t.deepEqual(await verifyAuditChain(db), { ok: true, count: 0, head: GENESIS_HASH });
    const first = await appendAudit(db, decision(1), 'decision-1');
    t.like(first, { seq: 1, prev_hash: GENESIS_HASH, actor: 'li.station-reviewer', comment: 'documents complete (1)' });
    t.regex(first.hash, /^[0-9a-f]{64}$/);
    const second = await appendAudit(db, decision(2, { taskId: undefined, comment: undefined }), 'decision-2');
    t.like(second, { seq: 2, prev_hash: first.hash, task_id: null, comment: null });
    t.deepEqual(await verifyAuditChain(db), { ok: true, count: 2, head: second.hash });
    t.deepEqual(
      (await auditTrailOf(db, 'application-QF-2026-000001')).map((row) => row.seq),
      [1],
    );
  },
  title: (_, dialect: DialectName) => `${dialect}: each decision links to the one before it and the chain verifies`,
});

const idempotent = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    const first = await appendAudit(db, decision(1), 'application-QF-1/station-review-1/approve');
    // The activity is retried after its first attempt committed.
    const retried = await appendAudit(db, decision(1), 'application-QF-1/station-review-1/approve');
    t.deepEqual(retried, first);
    t.like(await verifyAuditChain(db), { ok: true, count: 1 });
  },
  title: (_, dialect: DialectName) => `${dialect}: a retried append with the same key is recorded once`,
});

const concurrent = test.macro({
  async exec(t, dialect: DialectName) {
    const { db } = await freshDatabase(t, dialect);
    // 40 activities at once, each key twice: one chain, each key once, no fork.
    await Promise.all(
      Array.from({ length: 80 }, (_, i) => appendAudit(db, decision((i % 40) + 1), `decision-${(i % 40) + 1}`)),
    );
    t.deepEqual(await verifyAuditChain(db), {
      ok: true,
      count: 40,
      head: (await db.selectFrom('audit_log').select('hash').where('seq', '=', 40).executeTakeFirstOrThrow()).hash,
    });
  },
  title: (_, dialect: DialectName) => `${dialect}: concurrent appends form one unbroken chain`,
});

type Tampering = (db: Db) => Promise<unknown>;

const tampered = test.macro({
  async exec(t, dialect: DialectName, tamper: Tampering, brokenAt: number, reason: RegExp) {
    const { db } = await freshDatabase(t, dialect);
    await chainOf(db, 6);
    await tamper(db);
    const result = await verifyAuditChain(db);
    t.like(result, { ok: false, brokenAt });
    if (!result.ok) t.regex(result.reason, reason);
  },
  title: (_, dialect: DialectName, _tamper: Tampering, brokenAt: number, reason: RegExp) =>
    `${dialect}: tampering is found at entry ${brokenAt} (${reason.source})`,
});

const editComment: Tampering = (db) =>
  db.updateTable('audit_log').set({ comment: 'documents incomplete' }).where('seq', '=', 3).execute();
const deleteRow: Tampering = (db) => db.deleteFrom('audit_log').where('seq', '=', 4).execute();
const swapHashes: Tampering = async (db) => {
  const rows = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('seq', 'in', [2, 5])
    .orderBy('seq')
    .execute();
  await db.updateTable('audit_log').set({ hash: rows[1].hash }).where('seq', '=', 2).execute();
  await db.updateTable('audit_log').set({ hash: rows[0].hash }).where('seq', '=', 5).execute();
};
const rewriteFromHere: Tampering = async (db) => {
  // A forger recomputes row 5's own hash after changing it, but cannot fix row 6's link without the chain.
  const { createHash } = await import('node:crypto');
  await db
    .updateTable('audit_log')
    .set({ actor: 'someone-else', hash: createHash('sha256').update('x').digest('hex') })
    .where('seq', '=', 5)
    .execute();
};

for (const dialect of DIALECTS) {
  test(intact, dialect);
  test(idempotent, dialect);
  test(concurrent, dialect);
  test(tampered, dialect, editComment, 3, /does not match its hash/);
  test(tampered, dialect, deleteRow, 4, /row 4 is missing/);
  test(tampered, dialect, swapHashes, 2, /does not match its hash/);
  test(tampered, dialect, rewriteFromHere, 5, /does not match its hash/);
}

const exec = promisify(execFile);

const command = test.macro({
  async exec(t, dialect: DialectName) {
    const { db, target } = await freshDatabase(t, dialect);
    await chainOf(db, 3);
    const env = {
      ...process.env,
      ...(dialect === 'postgres' ? { DATABASE_URL: target } : { DATA_DIR: path.dirname(target), DATABASE_URL: '' }),
    };
    const run = (locale: Record<string, string> = ENGLISH_TERMINAL) =>
      exec(process.execPath, ['--import=tsx', path.join(PROJECT_ROOT, 'scripts', 'auditVerify.ts')], {
        env: { ...env, ...locale },
      }).then(
        (done) => ({ code: 0, out: done.stdout + done.stderr }),
        (failed: { code: number; stdout: string; stderr: string }) => ({
          code: failed.code,
          out: failed.stdout + failed.stderr,
        }),
      );
    const good = await run();
    t.is(good.code, 0, good.out);
    t.regex(good.out, /Audit log intact: 3 entries/);
    t.regex((await run(CHINESE_TERMINAL)).out, /^审计日志完整：.* 中共 3 条记录；最新哈希值 [0-9a-f]+。$/m);
    await editComment(db);
    const bad = await run();
    t.is(bad.code, 1, bad.out);
    t.regex(bad.out, /TAMPERED at entry 3/);
    t.regex((await run(CHINESE_TERMINAL)).out, /^审计日志已被篡改（第 3 条记录）：/m);
  },
  title: (_, dialect: DialectName) =>
    `${dialect}: npm run audit:verify exits 1 and names the entry once one is changed`,
});

for (const dialect of DIALECTS) test(command, dialect);

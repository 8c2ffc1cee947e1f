/**
 * Counters of open tasks, so that the inbox counts its views without counting rows: one row per (candidate group,
 * supervising group, escalated, holder), with how many open tasks have that key and how many times a task has entered
 * or left it. Every view is a sum over a few of these rows (records/tasks.ts readViews); `changes` never goes down,
 * so the sum of a view's `changes` moves whenever a task enters or leaves the view, which is what the inbox polls.
 *
 * The database keeps them, with triggers on the task projection, in the statement (so the transaction) that changes
 * a row: whoever writes the projection (the records activity, the web app after a decision, the rebuild, a repair
 * typed in psql) keeps them exact, and under PostgreSQL concurrent writers serialise on the counter rows they touch,
 * each reading the row's newest count. SQLite runs one writer at a time, and its triggers run per row. PostgreSQL's
 * run once per statement, over its rows at once; but an upsert fires two (its inserts', then its updates'), so two
 * writers could each hold a counter the other waits for. records/tasks.ts therefore takes, before each write, locks
 * on the groups of the write's counters, in one order every writer follows (open_task_counts_lock below).
 *
 * The counters are filled from the rows as they are; records/tasks.ts recountOpenTasks does the same later (the
 * projection rebuild runs it).
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../dialect';

/** A task's counter key, as the columns of a row (`OLD`, `NEW`, or a transition table's alias). */
const keyOf = (row: string) =>
  `${row}.candidate_group, ${row}.supervising_group, ${row}.escalated, coalesce(${row}.assignee, '')`;

/** Whether two rows of one task have different keys: conditions to join with OR (`IS NOT` is SQLite's null-safe `<>`). */
const keyChanged = (a: string, b: string, differs: 'IS NOT' | 'IS DISTINCT FROM') =>
  ['candidate_group', 'supervising_group', 'escalated', 'assignee'].map((c) => `${a}.${c} ${differs} ${b}.${c}`);

const COUNTER_KEY = 'candidate_group, supervising_group, escalated, holder';

/** The first half of the numbers of the advisory locks open_task_counts_lock takes: this migration's own. */
const LOCK_GROUPS = 1_330_013_001;

export const openTaskCounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('open_task_counts')
      .addColumn('candidate_group', 'text', (c) => c.notNull())
      .addColumn('supervising_group', 'text', (c) => c.notNull())
      .addColumn('escalated', 'integer', (c) => c.notNull())
      // '' for nobody: a key column may not be null.
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('open_tasks', 'integer', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('open_task_counts_pk', ['candidate_group', 'supervising_group', 'escalated', 'holder'])
      .execute();
    await db.schema.createIndex('open_task_counts_by_holder').on('open_task_counts').column('holder').execute();
    await db.schema
      .createIndex('open_task_counts_by_supervisors')
      .on('open_task_counts')
      .columns(['supervising_group', 'escalated'])
      .execute();

    if (dialectOf(db) === 'postgres') await postgresTriggers(db);
    else await sqliteTriggers(db);
    // After the triggers, so a write landing meanwhile is counted by them or by this fill, which replaces the count.
    // (On PostgreSQL creating a trigger holds writers off until the migration commits anyway.)
    await sql`
      INSERT INTO open_task_counts (${sql.raw(COUNTER_KEY)}, open_tasks, changes)
      SELECT ${sql.raw(keyOf('tasks'))}, count(*), count(*) FROM tasks WHERE status = 'open'
      GROUP BY ${sql.raw(keyOf('tasks'))}
      ON CONFLICT (${sql.raw(COUNTER_KEY)}) DO UPDATE SET open_tasks = excluded.open_tasks
    `.execute(db);
  },
};

/** Per row; each trigger's WHEN leaves alone a write that keeps the task open under the same key. */
async function sqliteTriggers(db: Kysely<unknown>) {
  const enter = (row: string) => `
    INSERT INTO open_task_counts (${COUNTER_KEY}, open_tasks, changes) VALUES (${keyOf(row)}, 1, 1)
    ON CONFLICT (${COUNTER_KEY}) DO UPDATE SET open_tasks = open_tasks + 1, changes = changes + 1;`;
  const leave = (row: string) => `
    UPDATE open_task_counts SET open_tasks = open_tasks - 1, changes = changes + 1
    WHERE (${COUNTER_KEY}) = (${keyOf(row)});`;
  const moved = keyChanged('OLD', 'NEW', 'IS NOT').join(' OR ');
  const triggers = [
    `CREATE TRIGGER open_task_counts_insert AFTER INSERT ON tasks WHEN NEW.status = 'open'
     BEGIN ${enter('NEW')} END`,
    `CREATE TRIGGER open_task_counts_delete AFTER DELETE ON tasks WHEN OLD.status = 'open'
     BEGIN ${leave('OLD')} END`,
    `CREATE TRIGGER open_task_counts_update_leave AFTER UPDATE ON tasks
     WHEN OLD.status = 'open' AND (NEW.status IS NOT 'open' OR ${moved})
     BEGIN ${leave('OLD')} END`,
    `CREATE TRIGGER open_task_counts_update_enter AFTER UPDATE ON tasks
     WHEN NEW.status = 'open' AND (OLD.status IS NOT 'open' OR ${moved})
     BEGIN ${enter('NEW')} END`,
  ];
  for (const trigger of triggers) await sql.raw(trigger).execute(db);
}

/**
 * Per statement, over its transition tables: the tasks that left a key (old rows no longer open under it) count -1,
 * those that entered one +1, summed per key and added in key order (so that even writers that skip the advisory
 * locks below, a repair typed in psql, wait for one statement's counters in one order).
 */
async function postgresTriggers(db: Kysely<unknown>) {
  const sameTask = 'n.workflow_id = o.workflow_id AND n.task_id = o.task_id';
  const stayed = `o.status = 'open' AND n.status = 'open' AND NOT (${keyChanged('o', 'n', 'IS DISTINCT FROM').join(' OR ')})`;
  const left = `SELECT ${keyOf('o')}, -1 FROM old_rows o WHERE o.status = 'open'`;
  const entered = `SELECT ${keyOf('n')}, 1 FROM new_rows n WHERE n.status = 'open'`;
  const apply = (moves: string) => `
    INSERT INTO open_task_counts AS c (${COUNTER_KEY}, open_tasks, changes)
    SELECT m.candidate_group, m.supervising_group, m.escalated, m.holder, sum(m.delta), count(*)
    FROM (${moves}) AS m (${COUNTER_KEY}, delta)
    GROUP BY ${COUNTER_KEY} ORDER BY ${COUNTER_KEY}
    ON CONFLICT (${COUNTER_KEY})
    DO UPDATE SET open_tasks = c.open_tasks + excluded.open_tasks, changes = c.changes + excluded.changes;`;
  await sql
    .raw(
      `CREATE FUNCTION open_task_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${apply(entered)}
        ELSIF TG_OP = 'DELETE' THEN
          ${apply(left)}
        ELSE
          ${apply(
            `${left} AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE ${sameTask} AND ${stayed})
             UNION ALL
             ${entered} AND NOT EXISTS (SELECT 1 FROM old_rows o WHERE ${sameTask} AND ${stayed})`,
          )}
        END IF;
        RETURN NULL;
      END $$`,
    )
    .execute(db);
  // Transaction-level advisory locks on (candidate group, supervising group) pairs, the part of a counter's key a
  // task keeps for life (its holder, escalation and status change): each lock in the order of its number, the order
  // every writer takes them in. Two pairs whose numbers collide merely take turns.
  await sql
    .raw(
      `CREATE FUNCTION open_task_counts_lock(group_pairs text[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        lock_key integer;
      BEGIN
        FOR lock_key IN SELECT DISTINCT hashtext(pair) FROM unnest(group_pairs) AS pair ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock(${LOCK_GROUPS}, lock_key);
        END LOOP;
      END $$`,
    )
    .execute(db);
  const on = {
    insert: 'REFERENCING NEW TABLE AS new_rows',
    update: 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows',
    delete: 'REFERENCING OLD TABLE AS old_rows',
  };
  // One trigger per event: PostgreSQL allows transition tables only on a trigger of a single event.
  for (const [event, tables] of Object.entries(on)) {
    await sql
      .raw(
        `CREATE TRIGGER open_task_counts_${event} AFTER ${event.toUpperCase()} ON tasks ${tables}
         FOR EACH STATEMENT EXECUTE FUNCTION open_task_counts_follow()`,
      )
      .execute(db);
  }
}

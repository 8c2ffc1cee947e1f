/**
 * A case whose candidate's personal data was removed after the retention period (records/retention.ts) may still
 * carry it in its workflow's state until Temporal drops the closed workflow. Pages and answers then show the removal
 * instead: the name, ID number and contact details are blank, and `personalDataRemoved` has the page say why
 * ("个人信息已按保存期限删除"), rather than show the person or break on a missing one.
 */
import type { Db } from '../records/database';
import type { CaseView } from '../workflows/definitions';
import { recipientShown } from './auth/access';

export type ShownCase = CaseView & { personalDataRemoved?: true };

export async function withRemovalShown(db: Db, view: CaseView): Promise<ShownCase> {
  const row = await db
    .selectFrom('cases')
    .select('personal_data_removed_at')
    .where('application_number', '=', view.applicationNumber)
    .executeTakeFirst();
  if (!row?.personal_data_removed_at) return view;
  const { idType } = view.application.candidate;
  return {
    ...view,
    ...recipientShown(view, () => ''),
    application: { ...view.application, candidate: { idType, name: '', idNumber: '' } },
    personalDataRemoved: true,
  };
}

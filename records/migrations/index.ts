/**
 * Schema migrations, in order. Kysely's schema builder keeps them dialect-neutral, so the same list serves the
 * embedded SQLite file and PostgreSQL. Never edit a migration that has shipped; add the next one.
 */
import type { MigrationProvider } from 'kysely';
import { initial } from './0001_initial';
import { directoryProjectionAudit } from './0002_directory_projection_audit';
import { notificationDelivery } from './0003_notification_delivery';
import { revocations } from './0004_revocations';
import { inbox } from './0005_inbox';
import { appraisalSessions } from './0006_appraisal_sessions';
import { userLanguage } from './0007_user_language';
import { flashes } from './0008_flashes';
import { inboxRows } from './0009_inbox_rows';
import { caseComments } from './0010_case_comments';
import { noticeLanguages } from './0011_notice_languages';
import { savedViews } from './0012_saved_views';
import { openTaskCounts } from './0013_open_task_counts';
import { directoryVersion } from './0014_directory_version';
import { signInFailures } from './0015_sign_in_failures';
import { personalDataAccess } from './0016_personal_data_access';
import { personalDataRetention } from './0017_personal_data_retention';
import { rateBuckets } from './0018_rate_buckets';
import { caseResults } from './0019_case_results';
import { handoverRecipient } from './0020_handover_recipient';
import { passwordResets } from './0021_password_resets';
import { accountDeactivation } from './0022_account_deactivation';
import { accountReactivation } from './0023_account_reactivation';
import { documents } from './0024_documents';
import { caseDocuments } from './0025_case_documents';
import { organisationRegistry } from './0026_organisation_registry';
import { accountGroups } from './0027_account_groups';

export const migrations: MigrationProvider = {
  async getMigrations() {
    return {
      '0001_initial': initial,
      '0002_directory_projection_audit': directoryProjectionAudit,
      '0003_notification_delivery': notificationDelivery,
      '0004_revocations': revocations,
      '0005_inbox': inbox,
      '0006_appraisal_sessions': appraisalSessions,
      '0007_user_language': userLanguage,
      '0008_flashes': flashes,
      '0009_inbox_rows': inboxRows,
      '0010_case_comments': caseComments,
      '0011_notice_languages': noticeLanguages,
      '0012_saved_views': savedViews,
      '0013_open_task_counts': openTaskCounts,
      '0014_directory_version': directoryVersion,
      '0015_sign_in_failures': signInFailures,
      '0016_personal_data_access': personalDataAccess,
      '0017_personal_data_retention': personalDataRetention,
      '0018_rate_buckets': rateBuckets,
      '0019_case_results': caseResults,
      '0020_handover_recipient': handoverRecipient,
      '0021_password_resets': passwordResets,
      '0022_account_deactivation': accountDeactivation,
      '0023_account_reactivation': accountReactivation,
      '0024_documents': documents,
      '0025_case_documents': caseDocuments,
      '0026_organisation_registry': organisationRegistry,
      '0027_account_groups': accountGroups,
    };
  },
};

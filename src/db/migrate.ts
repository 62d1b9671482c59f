import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as platform from './migrations/0001-platform.js';
import * as people from './migrations/0002-people.js';
import * as casework from './migrations/0003-casework.js';
import * as serviceAccounts from './migrations/0004-service-accounts.js';
import * as retention from './migrations/0005-retention.js';
import * as partnership from './migrations/0006-partnership.js';
import * as rights from './migrations/0007-rights.js';
import * as rightsReview from './migrations/0008-rights-review.js';
import * as sharing from './migrations/0009-sharing.js';
import * as personHistory from './migrations/0010-person-history.js';
import * as rightsOutcomes from './migrations/0011-rights-outcomes.js';
import * as practiceReviews from './migrations/0012-practice-reviews.js';
import * as sharingAgreements from './migrations/0013-sharing-agreements.js';
import * as rightsReminders from './migrations/0014-rights-reminders.js';
import * as rightsPortability from './migrations/0015-rights-portability.js';
import * as rowsNameRealPeopleAndRecords from './migrations/0016-rows-name-real-people-and-records.js';
import * as signInThrottleAndRoleLimits from './migrations/0017-sign-in-throttle-and-role-limits.js';
import * as interruptedSweeps from './migrations/0018-interrupted-sweeps.js';
import * as auditChainLinks from './migrations/0019-audit-chain-links.js';
import * as breaches from './migrations/0021-breaches.js';
import * as complaints from './migrations/0022-complaints.js';
import * as objectionStopsProcessing from './migrations/0024-objection-stops-processing.js';
import * as policyVersions from './migrations/0025-policy-versions.js';
import * as recordStatesAndRefiling from './migrations/0026-record-states-and-refiling.js';
import * as peopleAndRightsRequestsRetention from './migrations/0027-people-and-rights-requests-retention.js';
import * as rightsGathering from './migrations/0029-rights-gathering.js';
import * as policyVersionReview from './migrations/0030-policy-version-review.js';
import * as complaintBreachLink from './migrations/0031-complaint-breach-link.js';
import * as staffConfidentiality from './migrations/0036-staff-confidentiality.js';
import * as statutoryVisits from './migrations/0037-statutory-visits.js';
import * as lookedAfterOutcomes from './migrations/0038-looked-after-outcomes.js';
import * as statutoryReviews from './migrations/0040-statutory-reviews.js';
import * as caseSummaryAndOversight from './migrations/0041-case-summary-and-oversight.js';
import * as personConsent from './migrations/0039-person-consent.js';
import * as reportPublication from './migrations/0045-report-publication.js';
import * as researchExtracts from './migrations/0046-research-extracts.js';
import * as intake from './migrations/0050-intake.js';
import * as peopleNotDuplicates from './migrations/0051-people-not-duplicates.js';
import * as singleSignOn from './migrations/0055-single-sign-on.js';
import * as disposalJournal from './migrations/0056-disposal-journal.js';
import * as researchKeysSealed from './migrations/0060-research-keys-sealed.js';
import * as rateLimitCounter from './migrations/0063-rate-limit-counter.js';
import * as statutoryReturns from './migrations/0064-statutory-returns.js';
import * as moreReturns from './migrations/0065-more-returns.js';
import * as auditPartitions from './migrations/0070-audit-partitions.js';
import * as reviewParticipation from './migrations/0071-review-participation.js';
import * as returnFilesAndJobs from './migrations/0072-return-files-and-jobs.js';
import * as intakeIndexes from './migrations/0073-intake-indexes.js';
import * as auditRetention from './migrations/0074-audit-retention.js';
import * as peopleChangedSince from './migrations/0075-people-changed-since.js';
import * as returnJobHeartbeat from './migrations/0076-return-job-heartbeat.js';
import * as scimTokens from './migrations/0077-scim-tokens.js';
import * as sealsCheckedAtLinking from './migrations/0078-seals-checked-at-linking.js';
import * as countyScaleIndexes from './migrations/0079-county-scale-indexes.js';
import * as searchGinWithoutPendingList from './migrations/0080-search-gin-without-pending-list.js';
import * as recordFreeSinceAtCommit from './migrations/0082-record-free-since-at-commit.js';
import * as foreignKeyIndexes from './migrations/0083-foreign-key-indexes.js';

/**
 * Migrations are listed here, in order, rather than found on disk: the list
 * is checked by the compiler and works the same from source or a bundle.
 */
const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-people': people,
  '0003-casework': casework,
  '0004-service-accounts': serviceAccounts,
  '0005-retention': retention,
  '0006-partnership': partnership,
  '0007-rights': rights,
  '0008-rights-review': rightsReview,
  '0009-sharing': sharing,
  '0010-person-history': personHistory,
  '0011-rights-outcomes': rightsOutcomes,
  '0012-practice-reviews': practiceReviews,
  '0013-sharing-agreements': sharingAgreements,
  '0014-rights-reminders': rightsReminders,
  '0015-rights-portability': rightsPortability,
  '0016-rows-name-real-people-and-records': rowsNameRealPeopleAndRecords,
  '0017-sign-in-throttle-and-role-limits': signInThrottleAndRoleLimits,
  '0018-interrupted-sweeps': interruptedSweeps,
  '0019-audit-chain-links': auditChainLinks,
  '0021-breaches': breaches,
  '0022-complaints': complaints,
  '0024-objection-stops-processing': objectionStopsProcessing,
  '0025-policy-versions': policyVersions,
  '0026-record-states-and-refiling': recordStatesAndRefiling,
  '0027-people-and-rights-requests-retention': peopleAndRightsRequestsRetention,
  '0029-rights-gathering': rightsGathering,
  '0030-policy-version-review': policyVersionReview,
  '0031-complaint-breach-link': complaintBreachLink,
  '0036-staff-confidentiality': staffConfidentiality,
  '0037-statutory-visits': statutoryVisits,
  '0038-looked-after-outcomes': lookedAfterOutcomes,
  '0039-person-consent': personConsent,
  '0040-statutory-reviews': statutoryReviews,
  '0041-case-summary-and-oversight': caseSummaryAndOversight,
  '0045-report-publication': reportPublication,
  '0046-research-extracts': researchExtracts,
  '0050-intake': intake,
  '0051-people-not-duplicates': peopleNotDuplicates,
  '0055-single-sign-on': singleSignOn,
  '0056-disposal-journal': disposalJournal,
  '0060-research-keys-sealed': researchKeysSealed,
  '0063-rate-limit-counter': rateLimitCounter,
  '0064-statutory-returns': statutoryReturns,
  '0065-more-returns': moreReturns,
  '0070-audit-partitions': auditPartitions,
  '0071-review-participation': reviewParticipation,
  '0072-return-files-and-jobs': returnFilesAndJobs,
  '0073-intake-indexes': intakeIndexes,
  '0074-audit-retention': auditRetention,
  '0075-people-changed-since': peopleChangedSince,
  '0076-return-job-heartbeat': returnJobHeartbeat,
  '0077-scim-tokens': scimTokens,
  '0078-seals-checked-at-linking': sealsCheckedAtLinking,
  '0079-county-scale-indexes': countyScaleIndexes,
  '0080-search-gin-without-pending-list': searchGinWithoutPendingList,
  '0082-record-free-since-at-commit': recordFreeSinceAtCommit,
  '0083-foreign-key-indexes': foreignKeyIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Migrations see the database untyped: they run before the types describe it.
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const untyped = db as unknown as Kysely<unknown>;
  // Name the schema: Kysely otherwise takes a migration table in any schema
  // (another test's, say) as its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
    untyped,
  );
  const migrationTableSchema = rows[0]?.schema ?? 'public';
  // Numbers are handed out ahead of time to work done side by side, so a
  // database may already have a later migration when an earlier number
  // lands (0017 before 0016): each still runs once, in number order among
  // those not yet run.
  const migrator = new Migrator({
    db: untyped,
    provider,
    migrationTableSchema,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

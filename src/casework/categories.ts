/**
 * What each category of record holds beyond the common fields, as the
 * notices describe it (docs/notices), and which retention facts it records.
 *
 * Category-specific detail is one strict zod schema per category, stored as
 * jsonb: it is validated on every write and never read by retention. The
 * facts retention reads are typed columns (src/db/migrations/0003-casework.ts),
 * derived from each category's rules in policy (record-facts.ts), so a new
 * rule's fact becomes a field without a second list to keep in step.
 *
 * The schemas are by organisation (details-*.ts); the page forms for them
 * are detail-fields.ts and detail-list-forms.ts.
 */
import type { z } from 'zod';
import type { CategorySlug } from '../policy/index.js';
import {
  adoption,
  childInNeed,
  childProtectionPlan,
  lookedAfter,
  privateFosterParent,
  privateFostering,
  riskRegister,
} from './details-kent-scs.js';
import { ladoAllegation } from './details-kent-lado.js';
import { safeguardingConcern } from './details-maidstone-bc.js';
import { auditQa, practiceReview, summaryOnly } from './details-partnerships.js';

export const detailSchemas: Record<CategorySlug, z.ZodType<Record<string, unknown>>> = {
  'child-in-need': childInNeed,
  'child-protection-plan': childProtectionPlan,
  'looked-after': lookedAfter,
  adoption,
  'private-fostering': privateFostering,
  'private-foster-parent': privateFosterParent,
  'risk-register': riskRegister,
  'lado-allegation': ladoAllegation,
  'practice-review': practiceReview,
  'panel-referral-not-notified': practiceReview,
  'audit-qa': auditQa,
  'meeting-admin': summaryOnly,
  training: summaryOnly,
  'training-booking-details': summaryOnly,
  survey: summaryOnly,
  'newsletter-subscription': summaryOnly,
  'learning-system-record': summaryOnly,
  'safeguarding-concern': safeguardingConcern,
};

// The rest of the app reads categories through this file; each part lives
// in the file named for it.
export { detailEvents, type DetailEvent } from './detail-events.js';
export { formFieldsFor, type DetailField } from './detail-fields.js';
export {
  detailListForms,
  detailListFormsFor,
  detailObjectForms,
  detailObjectFormsFor,
  type DetailListForm,
  type DetailObjectForm,
} from './detail-list-forms.js';
export { employerSectors } from './details-kent-lado.js';
export { placementTypes, primaryNeeds } from './details-kent-scs.js';
export { concernTypes } from './details-maidstone-bc.js';
export { humanise } from './option-words.js';
export {
  factColumns,
  factLabels,
  recordDateFacts,
  recordFactsFor,
  recordFactsSchema,
  type RecordDateFact,
  type RecordFact,
} from './record-facts.js';

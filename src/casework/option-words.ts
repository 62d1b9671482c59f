/**
 * The words an option's code is shown in, on pages and in exports.
 */
import {
  assessmentFactorCodes,
  closureReasons,
  disabilityCodes,
  referralSources,
} from '../returns/codes.js';
import { ssda903CodeLists } from '../returns/ssda903/codes.js';

/**
 * Options whose words are not their code with spaces: the notices' own
 * wording (the LADO's harm test and referring agencies).
 */
const optionWords: Record<string, string> = {
  'harmed-a-child': 'Behaved in a way that has harmed a child, or may have harmed a child',
  'possible-criminal-offence':
    'Possibly committed a criminal offence against or related to a child',
  'risk-of-harm':
    'Behaved towards a child or children in a way that indicates they may pose a risk of harm to children',
  'unsuitable-to-work-with-children':
    'Behaved in a way that indicates they may not be suitable to work with children',
  'integrated-childrens-services': 'Integrated Children’s Services',
  'other-local-authority': 'Another local authority',
  'education-provider':
    'Education (early years, the local education authority, academies or schools)',
  'nhs-england': 'NHS England',
  employer: 'An employer, voluntary or charity organisation',
  nspcc: 'The NSPCC',
  'ofsted-or-governing-body': 'Ofsted or a governing body',
  'care-quality-commission': 'The Care Quality Commission',
  'crown-prosecution-service': 'The Crown Prosecution Service',
};

/**
 * The DfE's own words for the census code lists (src/returns/codes.ts), for
 * the words only they use; words other lists share ("other", "neglect")
 * keep their plain reading.
 */
const sharedWords = new Set(['other', 'neglect', 'emotional-abuse', 'unknown', 'school']);
const censusWords: Record<string, string> = Object.fromEntries(
  [
    ...ssda903CodeLists,
    referralSources,
    closureReasons,
    disabilityCodes,
    assessmentFactorCodes,
  ].flatMap((list) =>
    Object.entries(list.codes as Record<string, { label: string }>)
      .filter(([slug]) => !sharedWords.has(slug))
      .map(([slug, { label }]) => [slug, label]),
  ),
);

/** "abuse-or-neglect" → "Abuse or neglect", for option labels. */
export function humanise(value: string): string {
  const known = optionWords[value] ?? censusWords[value];
  if (known) return known;
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

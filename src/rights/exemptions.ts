/**
 * The legal grounds for withholding or redacting part of a subject access
 * response, as data (issue 5 "Exemptions as data, each with its DPA 2018
 * reference"; docs/reference.md "Rights requests"). Pure: the service asks
 * `checkGround` before storing a decision or a redaction.
 *
 * Who may claim: some exemptions exist only to protect a child from what a
 * parent (or a court appointee) would learn, so they cannot be used against
 * the child asking for their own data. A solicitor acts for the subject, so
 * a solicitor's request is treated as the subject's own.
 */
import type { RequesterRole } from './tables.js';

export const groundCodes = [
  'sch2-para2-crime',
  'sch2-para5-legal-proceedings',
  'sch2-para16-third-party',
  'sch3-para7-serious-harm',
  'sch3-para9-court-report',
  'sch3-para10-expectations',
  'sch3-para21-child-abuse',
  'legal-professional-privilege',
  'sch4-adoption',
] as const;
export type GroundCode = (typeof groundCodes)[number];

export interface Ground {
  code: GroundCode;
  /** The DPA 2018 reference, as the response cites it. */
  reference: string;
  label: string;
  /** Requesters for whom the ground can be claimed; undefined = any requester. */
  onlyWhenAskedBy?: readonly RequesterRole[];
  /** Categories of record the ground can apply to; undefined = any. */
  onlyCategories?: readonly string[];
  /** The ground may support "neither confirm nor deny". */
  neitherConfirmNorDeny: boolean;
}

const parentOrAppointee: readonly RequesterRole[] = ['parent', 'court-appointee'];

export const grounds: readonly Ground[] = [
  {
    code: 'sch2-para2-crime',
    reference: 'DPA 2018 Sch 2 para 2',
    label: 'Crime and taxation: disclosure would prejudice preventing or detecting crime',
    neitherConfirmNorDeny: true,
  },
  {
    code: 'sch2-para5-legal-proceedings',
    reference: 'DPA 2018 Sch 2 para 5',
    label: 'Disclosure required by law or in connection with legal proceedings',
    neitherConfirmNorDeny: false,
  },
  {
    code: 'sch2-para16-third-party',
    reference: 'DPA 2018 Sch 2 paras 16-17',
    label:
      'Information about another person who has not consented, where disclosure without consent is not reasonable',
    neitherConfirmNorDeny: false,
  },
  {
    code: 'sch3-para7-serious-harm',
    reference: 'DPA 2018 Sch 3 Part 3 paras 7 and 11',
    label:
      'Social work data: disclosure would be likely to cause serious harm to anyone’s physical or mental health',
    neitherConfirmNorDeny: false,
  },
  {
    code: 'sch3-para9-court-report',
    reference: 'DPA 2018 Sch 3 Part 3 para 9',
    label: 'Social work data in a report or evidence given to a court',
    neitherConfirmNorDeny: false,
  },
  {
    // Para 10 protects what the child expected, or expressly asked, to be
    // kept from the person now asking: it is for requests made on the
    // child's behalf, never the child's own.
    code: 'sch3-para10-expectations',
    reference: 'DPA 2018 Sch 3 Part 3 para 10',
    label:
      'Social work data the child gave in the expectation it would not be disclosed to the person asking, or asked to be kept from them',
    onlyWhenAskedBy: parentOrAppointee,
    neitherConfirmNorDeny: false,
  },
  {
    // Para 21: child abuse data, when someone with parental responsibility
    // or appointed by a court asks and disclosure is not in the child's
    // best interests.
    code: 'sch3-para21-child-abuse',
    reference: 'DPA 2018 Sch 3 Part 5 para 21',
    label:
      'Child abuse data, where disclosure to the person asking is not in the child’s best interests',
    onlyWhenAskedBy: parentOrAppointee,
    // Telling a parent that child abuse data exists can itself harm the child.
    neitherConfirmNorDeny: true,
  },
  {
    code: 'legal-professional-privilege',
    reference: 'DPA 2018 Sch 2 para 19',
    label: 'Legal professional privilege',
    neitherConfirmNorDeny: true,
  },
  {
    // Sch 4 para 3: adoption records are exempt from the right of access;
    // they are disclosed only under the Adoption and Children Act 2002.
    code: 'sch4-adoption',
    reference: 'DPA 2018 Sch 4 para 3',
    label: 'Adoption records and reports, disclosure of which is prohibited or restricted by law',
    onlyCategories: ['adoption'],
    neitherConfirmNorDeny: false,
  },
];

export function isGroundCode(value: string): value is GroundCode {
  return (groundCodes as readonly string[]).includes(value);
}

export function groundOf(code: string): Ground | undefined {
  return grounds.find((g) => g.code === code);
}

const requesterWords: Record<RequesterRole, string> = {
  self: 'the person themselves',
  parent: 'a parent',
  solicitor: 'a solicitor acting for the person',
  'court-appointee': 'a court appointee',
};

/**
 * Whether this ground may be claimed for an item of a record of this
 * category, on a request from this requester; the refusal says why.
 */
export function checkGround(
  code: string,
  context: { requesterRole: RequesterRole; category: string | null },
): { ok: true; ground: Ground } | { ok: false; reason: string } {
  const ground = groundOf(code);
  if (!ground) return { ok: false, reason: 'Select a legal ground from the list' };
  if (ground.onlyWhenAskedBy && !ground.onlyWhenAskedBy.includes(context.requesterRole)) {
    return {
      ok: false,
      reason:
        `${ground.reference} applies only when a parent or a court appointee asks; ` +
        `this request is from ${requesterWords[context.requesterRole]}`,
    };
  }
  if (
    ground.onlyCategories &&
    (context.category === null || !ground.onlyCategories.includes(context.category))
  ) {
    return {
      ok: false,
      reason: `${ground.reference} applies only to ${ground.onlyCategories.join(', ')} records`,
    };
  }
  return { ok: true, ground };
}

/** The grounds that may be claimed on this request (for the review page's list). */
export function groundsFor(requesterRole: RequesterRole): readonly Ground[] {
  return grounds.filter((g) => !g.onlyWhenAskedBy || g.onlyWhenAskedBy.includes(requesterRole));
}

/**
 * The response's words when it neither confirms nor denies (DPA 2018: the
 * exemptions in Sch 2 para 2, Sch 3 para 21 and others reach Art 15(1)'s
 * confirmation too). The same words whatever is or is not held, naming no
 * exemption: saying which one applies would itself confirm.
 */
export const NCND_STATEMENT =
  'We can neither confirm nor deny whether we hold any other information about you of the ' +
  'kind your request describes. This is not an indication that we do, or do not, hold such ' +
  'information: we give the same answer whenever the law allows us not to confirm, because ' +
  'confirming either way could itself be harmful — for example to the prevention or detection ' +
  'of crime, or to a child. If you are unhappy with this answer, you can ask us to review it, ' +
  'or complain to the Information Commissioner’s Office.';

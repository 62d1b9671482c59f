import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { CensusChild, CensusPeriod } from './census.js';

/**
 * The Children in Need census file: the DfE's XML message for the
 * collection year, a header then one <Child> per child with their
 * identifiers, characteristics (ethnicity, disabilities) and each episode of
 * need with its assessments, plans, section 47 enquiries and child
 * protection plans. Element names and order follow the DfE's CIN census XML
 * schema as docs/returns.md describes it (checked there against what can be
 * checked). Built with xmlbuilder2, which escapes every value.
 */

export interface CensusHeader {
  period: CensusPeriod;
  /** The DfE's three-digit local authority code (Kent: 886). */
  laCode: string;
  /** When the file was made, as the header's DateTime. */
  producedAt: Date;
  /** The submission's serial number: the returns made so far this year plus one. */
  serialNo: number;
}

const optional = (parent: XMLBuilder, name: string, value: string | undefined): void => {
  if (value !== undefined) parent.ele(name).txt(value);
};

export async function censusXml(
  header: CensusHeader,
  children: readonly CensusChild[],
): Promise<string> {
  // Loaded when a census is written, not whenever the CLI or app starts.
  const { create } = await import('xmlbuilder2');
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('Message');
  const head = root.ele('Header');
  const collection = head.ele('CollectionDetails');
  collection.ele('Collection').txt('CIN');
  collection.ele('Year').txt(String(header.period.year));
  collection.ele('ReferenceDate').txt(header.period.end);
  const source = head.ele('Source');
  source.ele('SourceLevel').txt('L');
  source.ele('LEA').txt(header.laCode);
  source.ele('SoftwareCode').txt('Safekeep');
  source.ele('Release').txt('1');
  source.ele('SerialNo').txt(String(header.serialNo).padStart(3, '0'));
  source.ele('DateTime').txt(header.producedAt.toISOString().slice(0, 19));

  const list = root.ele('Children');
  for (const child of children) {
    const c = list.ele('Child');
    const ids = c.ele('ChildIdentifiers');
    ids.ele('LAchildID').txt(child.laChildId);
    optional(ids, 'UPN', child.upn);
    optional(ids, 'UPNunknown', child.upnUnknown);
    optional(ids, 'PersonBirthDate', child.birthDate);
    optional(ids, 'Sex', child.gender);
    optional(ids, 'PersonDeathDate', child.deathDate);
    const characteristics = c.ele('ChildCharacteristics');
    characteristics.ele('Ethnicity').txt(child.ethnicity);
    const disabilities = characteristics.ele('Disabilities');
    for (const d of child.disabilities) disabilities.ele('Disability').txt(d);

    for (const e of child.episodes) {
      const details = c.ele('CINdetails');
      details.ele('CINreferralDate').txt(e.referralDate);
      optional(details, 'ReferralSource', e.referralSource);
      optional(details, 'PrimaryNeedCode', e.primaryNeed);
      optional(details, 'CINclosureDate', e.closureDate);
      optional(details, 'ReasonForClosure', e.reasonForClosure);
      optional(details, 'DateOfInitialCPC', e.dateOfInitialCpc);
      for (const a of e.assessments) {
        const x = details.ele('Assessments');
        optional(x, 'AssessmentActualStartDate', a.startDate);
        optional(x, 'AssessmentAuthorisationDate', a.authorisationDate);
        if (a.factors.length) {
          const factors = x.ele('FactorsIdentifiedAtAssessment');
          for (const f of a.factors) factors.ele('AssessmentFactors').txt(f);
        }
      }
      for (const p of e.cinPlans) {
        const x = details.ele('CINPlanDates');
        x.ele('CINPlanStartDate').txt(p.startDate);
        optional(x, 'CINPlanEndDate', p.endDate);
      }
      for (const s of e.section47s) {
        const x = details.ele('Section47');
        x.ele('S47ActualStartDate').txt(s.startDate);
        optional(x, 'DateOfInitialCPC', s.icpcDate);
        x.ele('ICPCnotRequired').txt(s.icpcNotRequired ? 'true' : 'false');
      }
      // After the enquiries and before the plans, as the schema's sequence has it.
      details.ele('ReferralNFA').txt(e.referralNfa ? 'true' : 'false');
      for (const p of e.cpPlans) {
        const x = details.ele('ChildProtectionPlans');
        optional(x, 'CPPstartDate', p.startDate);
        optional(x, 'CPPendDate', p.endDate);
        optional(x, 'InitialCategoryOfAbuse', p.initialCategory);
        optional(x, 'LatestCategoryOfAbuse', p.latestCategory);
        x.ele('NumberOfPreviousCPP').txt(String(p.previousPlans));
        if (p.reviewDates.length) {
          const reviews = x.ele('Reviews');
          for (const r of p.reviewDates) reviews.ele('CPPreviewDate').txt(r);
        }
      }
    }
  }
  return root.end({ prettyPrint: true });
}

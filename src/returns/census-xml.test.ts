import { create } from 'xmlbuilder2';
import { describe, expect, it } from 'vitest';
import type { CensusChild } from './census.js';
import { censusXml } from './census-xml.js';

/**
 * The census file against the element sequences of the DfE's CIN census
 * schema, as read from the schema files for 2021–22 and 2023–24 that
 * Social Finance's liia-tools validates local authorities' files with
 * (`liiatools/spec/cin_census/cin-2022.xsd`,
 * `liiatools/cin_census_pipeline/spec/CIN_schema_2024.xsd`; docs/returns.md).
 * Each element's children must come in the schema's order, the required
 * ones present, and nothing the schema does not name. The child's sex is
 * `Sex` from 2024–25 (the specification for that year), where those files
 * have `GenderCurrent`.
 */
const SEQUENCES: Record<string, { order: string[]; required: string[] }> = {
  Message: { order: ['Header', 'Children'], required: ['Header', 'Children'] },
  Header: { order: ['CollectionDetails', 'Source'], required: ['CollectionDetails', 'Source'] },
  CollectionDetails: {
    order: ['Collection', 'Year', 'ReferenceDate'],
    required: ['Collection', 'Year', 'ReferenceDate'],
  },
  Source: {
    order: ['SourceLevel', 'LEA', 'SoftwareCode', 'Release', 'SerialNo', 'DateTime'],
    required: ['SourceLevel', 'LEA', 'SoftwareCode', 'SerialNo', 'DateTime'],
  },
  Children: { order: ['Child'], required: ['Child'] },
  Child: {
    order: ['ChildIdentifiers', 'ChildCharacteristics', 'CINdetails'],
    required: ['ChildIdentifiers', 'ChildCharacteristics', 'CINdetails'],
  },
  ChildIdentifiers: {
    order: [
      'LAchildID',
      'UPN',
      'FormerUPN',
      'UPNunknown',
      'PersonBirthDate',
      'ExpectedPersonBirthDate',
      'Sex',
      'PersonDeathDate',
    ],
    required: ['LAchildID', 'Sex'],
  },
  ChildCharacteristics: { order: ['Ethnicity', 'Disabilities'], required: ['Ethnicity'] },
  Disabilities: { order: ['Disability'], required: ['Disability'] },
  CINdetails: {
    order: [
      'CINreferralDate',
      'ReferralSource',
      'PrimaryNeedCode',
      'CINclosureDate',
      'ReasonForClosure',
      'DateOfInitialCPC',
      'Assessments',
      'CINPlanDates',
      'Section47',
      'ReferralNFA',
      'ChildProtectionPlans',
    ],
    required: ['CINreferralDate', 'ReferralSource', 'ReferralNFA'],
  },
  Assessments: {
    order: [
      'AssessmentActualStartDate',
      'AssessmentInternalReviewDate',
      'AssessmentAuthorisationDate',
      'FactorsIdentifiedAtAssessment',
    ],
    required: ['AssessmentActualStartDate'],
  },
  FactorsIdentifiedAtAssessment: { order: ['AssessmentFactors'], required: ['AssessmentFactors'] },
  CINPlanDates: { order: ['CINPlanStartDate', 'CINPlanEndDate'], required: ['CINPlanStartDate'] },
  Section47: {
    order: ['S47ActualStartDate', 'InitialCPCtarget', 'DateOfInitialCPC', 'ICPCnotRequired'],
    required: ['S47ActualStartDate', 'ICPCnotRequired'],
  },
  ChildProtectionPlans: {
    order: [
      'CPPstartDate',
      'CPPendDate',
      'InitialCategoryOfAbuse',
      'LatestCategoryOfAbuse',
      'NumberOfPreviousCPP',
      'Reviews',
    ],
    required: [
      'CPPstartDate',
      'InitialCategoryOfAbuse',
      'LatestCategoryOfAbuse',
      'NumberOfPreviousCPP',
    ],
  },
  Reviews: { order: ['CPPreviewDate'], required: ['CPPreviewDate'] },
};

interface ElementNode {
  nodeType: number;
  nodeName: string;
  childNodes: ArrayLike<ElementNode>;
}

/** Every place the file breaks a sequence, as "Parent: what is wrong". */
function sequenceProblems(xml: string): string[] {
  const problems: string[] = [];
  const visit = (node: ElementNode): void => {
    const children = Array.from(node.childNodes).filter((n) => n.nodeType === 1);
    const sequence = SEQUENCES[node.nodeName];
    if (sequence) {
      const names = children.map((n) => n.nodeName);
      let last = -1;
      for (const name of names) {
        const at = sequence.order.indexOf(name);
        if (at === -1) problems.push(`${node.nodeName}: ${name} is not in its sequence`);
        else if (at < last) problems.push(`${node.nodeName}: ${name} comes too late`);
        else last = at;
      }
      for (const name of sequence.required) {
        if (!names.includes(name)) problems.push(`${node.nodeName}: ${name} is missing`);
      }
    } else if (children.length > 0) {
      problems.push(`${node.nodeName}: has children the schema does not give it`);
    }
    children.forEach(visit);
  };
  visit(create(xml).root().node as unknown as ElementNode);
  return problems;
}

/** A child with every part of the file filled, twice over where it repeats. */
const child: CensusChild = {
  personId: '00000000-0000-4000-8000-000000000001',
  laChildId: 'SK0001',
  upn: 'A123456789012',
  birthDate: '2015-04-02',
  gender: 'F',
  ethnicity: 'WBRI',
  disabilities: ['HAND', 'VIS'],
  episodes: [
    {
      recordId: 'r1',
      referralDate: '2025-05-01',
      referralSource: '2A',
      primaryNeed: 'N1',
      closureDate: '2026-02-01',
      reasonForClosure: 'RC1',
      referralNfa: false,
      dateOfInitialCpc: '2025-06-10',
      assessments: [
        {
          recordId: 'r1',
          startDate: '2025-05-02',
          authorisationDate: '2025-05-30',
          factors: ['2A', '3A'],
        },
        { recordId: 'r1', startDate: '2025-09-01', factors: [] },
      ],
      cinPlans: [
        { recordId: 'r1', startDate: '2025-06-01', endDate: '2025-06-09' },
        { recordId: 'r1', startDate: '2025-12-01' },
      ],
      section47s: [
        { recordId: 'r1', startDate: '2025-05-20', icpcDate: '2025-06-10', icpcNotRequired: false },
      ],
      cpPlans: [
        {
          recordId: 'r2',
          startDate: '2025-06-10',
          endDate: '2026-01-20',
          initialCategory: 'NEG',
          latestCategory: 'NEG',
          previousPlans: 1,
          reviewDates: ['2025-09-10', '2025-12-10'],
        },
      ],
    },
  ],
};

describe('the census file against the schema’s sequences', () => {
  it('puts every element where the schema’s sequence has it, with the required ones', async () => {
    const xml = await censusXml(
      {
        period: { year: 2026, start: '2025-04-01', end: '2026-03-31' },
        laCode: '886',
        producedAt: new Date('2026-04-20T09:30:00Z'),
        serialNo: 1,
      },
      [child],
    );
    expect(sequenceProblems(xml)).toEqual([]);
    expect(xml).toContain('<NumberOfPreviousCPP>1</NumberOfPreviousCPP>');
  });

  it('would catch an element out of its place, an unknown one, and one missing', () => {
    const out = `<Message><Header><Source/><CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Content/></Header><Children/></Message>`;
    expect(sequenceProblems(out)).toEqual(
      expect.arrayContaining([
        'Header: CollectionDetails comes too late',
        'Header: Content is not in its sequence',
        'Source: SourceLevel is missing',
        'Children: Child is missing',
      ]),
    );
  });
});

import type { FieldProblem, RowStatus } from './tables.js';

/** A row of a job as its page shows it: values as mapped, problems, and its match. */
export interface RowView {
  id: string;
  jobId: string;
  rowNumber: number;
  status: RowStatus;
  values: Record<string, string>;
  errors: FieldProblem[];
  candidatePersonId: string | null;
  probability: number | null;
  waterfall: unknown;
  personId: string | null;
}

export function rowView(row: {
  id: string;
  job_id: string;
  row_number: number;
  status: RowStatus;
  values: Record<string, string> | null;
  errors: FieldProblem[] | null;
  candidate_person_id: string | null;
  probability: number | null;
  waterfall: unknown;
  person_id: string | null;
}): RowView {
  return {
    id: row.id,
    jobId: row.job_id,
    rowNumber: row.row_number,
    status: row.status,
    values: row.values ?? {},
    errors: row.errors ?? [],
    candidatePersonId: row.candidate_person_id,
    probability: row.probability,
    waterfall: row.waterfall,
    personId: row.person_id,
  };
}

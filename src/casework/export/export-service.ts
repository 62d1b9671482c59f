/**
 * Print and export (issue 13 item 10): a record, or a person's chronology
 * (filtered by date and kind), as PDF or CSV. Each is built from the same
 * audited read as its page — CaseworkService.open or .chronology, so the
 * same access decision and "not found" — and the export itself is one more
 * audit event (`record.export`, `person.chronology.export`) with the ids
 * exported and no content, written before the file is sent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { formatDate } from '../../platform/http/views.js';
import { humanise } from '../categories.js';
import { visitSummary } from '../entries/visit-store.js';
import type { PeopleService } from '../../people/service.js';
import { personRecordsFor } from '../person-records.js';
import { londonToday } from '../retention.js';
import type { ChronologyEntry } from '../chronology.js';
import type { CaseworkService } from '../service.js';
import type { ExportDocument } from './export-pdf.js';

/** The kinds of chronology entry, in words, for the filter and the export. */
export const chronologyKindWords: Record<ChronologyEntry['kind'], string> = {
  'record-opened': 'Records opened',
  'record-closed': 'Records closed',
  event: 'Events in a record',
  note: 'Case notes',
  source: 'Information received',
  visit: 'Statutory visits',
  review: 'Conferences and reviews',
  summary: 'Case summaries',
  oversight: 'Management oversight',
  partner: 'From partners',
};

export type ChronologyKind = ChronologyEntry['kind'];

export function isChronologyKind(value: string): value is ChronologyKind {
  return Object.hasOwn(chronologyKindWords, value);
}

export interface ChronologyFilter {
  from?: string | undefined;
  to?: string | undefined;
  /** Empty: every kind. */
  kinds: readonly ChronologyKind[];
}

export function filterChronology<T extends { date: string; kind: ChronologyKind }>(
  entries: readonly T[],
  filter: ChronologyFilter,
): T[] {
  return entries.filter(
    (e) =>
      (!filter.from || e.date >= filter.from) &&
      (!filter.to || e.date <= filter.to) &&
      (filter.kinds.length === 0 || filter.kinds.includes(e.kind)),
  );
}

/** The filter in words, for the export's subtitle. */
export function filterWords(filter: ChronologyFilter): string {
  const parts: string[] = [];
  if (filter.from && filter.to) {
    parts.push(`from ${formatDate(filter.from)} to ${formatDate(filter.to)}`);
  } else if (filter.from) parts.push(`from ${formatDate(filter.from)}`);
  else if (filter.to) parts.push(`up to ${formatDate(filter.to)}`);
  if (filter.kinds.length) {
    parts.push(`only ${filter.kinds.map((k) => chronologyKindWords[k].toLowerCase()).join(', ')}`);
  }
  return parts.length ? `Entries ${parts.join('; ')}` : 'Every entry';
}

export type ExportFormat = 'pdf' | 'csv';

export class ExportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly casework: CaseworkService,
    private readonly people: PeopleService,
  ) {}

  private async audit(
    staff: StaffContext,
    action: string,
    objectType: string,
    ids: string[],
    format: ExportFormat,
  ) {
    await this.db.transaction().execute((trx) =>
      recordAudit(trx, {
        action: `${action}.${format}`,
        actorAccountId: staff.accountId,
        organisationId: staff.organisation?.id ?? null,
        objectType,
        objectIds: ids,
        purpose: 'casework',
      }),
    );
  }

  private exportedBy(staff: StaffContext): string {
    return `Exported by ${staff.displayName} on ${formatDate(londonToday())}. Handle as OFFICIAL-SENSITIVE: do not pass on without the agreement of the organisation that holds it.`;
  }

  async record(
    staff: StaffContext,
    recordId: string,
    format: ExportFormat,
  ): Promise<ExportDocument> {
    const view = await this.casework.open(staff, recordId);
    const subject = view.parties.find((p) => p.role === 'subject');
    const summary = view.summaries?.[0];
    const document: ExportDocument = {
      title: `Record: ${view.categoryName}`,
      subtitle: subject ? `About ${subject.givenName} ${subject.familyName}` : undefined,
      exportedBy: this.exportedBy(staff),
      sections: [
        {
          heading: 'Record',
          lines: [
            { label: 'Opened', value: formatDate(view.openedOn) },
            { label: 'Closed', value: view.closedOn ? formatDate(view.closedOn) : 'Open' },
            { label: 'Allocated worker', value: view.allocatedWorker ?? 'Not allocated' },
            { label: 'Allocated team', value: view.allocatedTeam ?? 'No team' },
          ],
        },
        {
          heading: 'People in the record',
          lines: view.parties.map((p) => ({
            label: humanise(p.role),
            value: `${p.givenName} ${p.familyName}${p.dateOfBirth ? `, born ${formatDate(p.dateOfBirth)}` : ''}`,
          })),
          empty: 'No one recorded.',
        },
        ...(summary
          ? [
              {
                heading: 'Case summary',
                lines: [
                  { label: 'Current plan', value: summary.currentPlan },
                  { label: 'Risks', value: summary.risks },
                  { label: 'Key people', value: summary.keyPeople || 'Not recorded' },
                  {
                    label: 'Last updated',
                    value: `${formatDate(summary.recordedOn)} by ${summary.recordedBy}`,
                  },
                ],
              },
            ]
          : []),
        ...(view.visits
          ? [
              {
                heading: 'Statutory visits',
                entries: view.visits.map((v) => ({
                  date: formatDate(v.visitedOn),
                  title: visitSummary({ child_seen: v.childSeen, seen_alone: v.seenAlone }),
                  text: [
                    v.present && `Present: ${v.present}`,
                    v.wishesAndFeelings && `Wishes and feelings: ${v.wishesAndFeelings}`,
                  ]
                    .filter(Boolean)
                    .join('\n'),
                  source: `Recorded by ${v.recordedBy}`,
                })),
                empty: 'No visits recorded.',
              },
            ]
          : []),
        ...(view.reviews?.length
          ? [
              {
                heading: 'Conferences and reviews',
                entries: view.reviews.map((r) => ({
                  date: formatDate(r.heldOn),
                  title: r.title,
                  text: r.summary,
                  source: `Recorded by ${r.recordedBy}${r.chair ? `; chaired by ${r.chair}` : ''}`,
                })),
              },
            ]
          : []),
        ...(view.oversight?.length
          ? [
              {
                heading: 'Management oversight',
                entries: view.oversight.map((o) => ({
                  date: formatDate(o.givenOn),
                  title: 'Management oversight',
                  text: o.direction,
                  source: `By ${o.recordedBy}`,
                })),
              },
            ]
          : []),
        {
          heading: 'Case notes',
          entries: view.notes.map((n) => ({
            date: formatDate(n.occurredOn),
            title: humanise(n.kind),
            text: n.text,
            source: `Written by ${n.author}`,
          })),
          empty: 'No notes.',
        },
        {
          heading: 'Sources of information',
          entries: view.sources.map((s) => ({
            date: formatDate(s.receivedOn),
            title: `${humanise(s.kind)} from ${s.provider}`,
            text: s.summary,
            source: s.reference ? `Reference ${s.reference}` : undefined,
          })),
          empty: 'None recorded.',
        },
      ],
    };
    await this.audit(staff, 'record.export', 'case-record', [view.id], format);
    return document;
  }

  async chronology(
    staff: StaffContext,
    personId: string,
    filter: ChronologyFilter,
    format: ExportFormat,
  ): Promise<ExportDocument> {
    const chronology = await this.casework.chronology(staff, personId);
    const entries = filterChronology(chronology.entries, filter);
    const { person } = chronology;
    const document: ExportDocument = {
      title: `Chronology: ${person.name}`,
      subtitle: `${person.dateOfBirth ? `Born ${formatDate(person.dateOfBirth)}. ` : ''}${filterWords(filter)}, from the records of theirs the person exporting may read.`,
      exportedBy: this.exportedBy(staff),
      sections: [
        {
          heading: 'Chronology',
          entries: entries.map((e) => ({
            date: formatDate(e.date),
            title: e.text,
            source: e.categoryName ? `${e.categoryName} record: ${e.source}` : e.source,
          })),
          empty: 'No entries match.',
        },
      ],
    };
    await this.audit(
      staff,
      'person.chronology.export',
      'person',
      [person.id, ...new Set(entries.flatMap((e) => (e.recordId ? [e.recordId] : [])))],
      format,
    );
    return document;
  }

  /**
   * A person's summary: who they are, their alerts, their records and
   * relationships — what the person page shows, from the same two audited
   * reads (PeopleService.get decides first; then the records the reader may
   * read, as the page lists them).
   */
  async person(
    staff: StaffContext,
    personId: string,
    format: ExportFormat,
  ): Promise<ExportDocument> {
    const person = await this.people.get(staff, personId);
    const { records, alerts } = await personRecordsFor(this.db, staff, person.id);
    const words = (value: string) => humanise(value.replace(/-/g, ' '));
    const document: ExportDocument = {
      title: `Person summary: ${person.givenName} ${person.familyName}`,
      subtitle: person.dateOfBirth
        ? `Born ${formatDate(person.dateOfBirth)}`
        : 'Date of birth not known',
      exportedBy: this.exportedBy(staff),
      sections: [
        {
          heading: 'Details',
          lines: [
            ...(person.gender ? [{ label: 'Gender', value: words(person.gender) }] : []),
            ...(person.dateOfDeath
              ? [{ label: 'Died', value: formatDate(person.dateOfDeath) }]
              : []),
            ...person.identifiers.map((i) => ({ label: words(i.type), value: i.value })),
            ...person.names
              .filter((n) => n.kind !== 'current')
              .map((n) => ({ label: words(n.kind), value: `${n.givenName} ${n.familyName}` })),
            ...person.addresses
              .filter((a) => !a.toDate)
              .map((a) => ({
                label: 'Address',
                value: [a.line1, a.line2, a.town, a.postcode].filter(Boolean).join(', '),
              })),
          ],
          empty: 'Nothing more recorded.',
        },
        {
          heading: 'Alerts',
          lines: alerts.map((a) => ({ label: 'Alert', value: a.words })),
          empty: 'No alerts.',
        },
        {
          heading: 'Records',
          lines: records.map((r) => ({
            label: r.restricted ? `${r.categoryName} (restricted)` : r.categoryName,
            value: `${r.role === 'subject' ? 'About them' : words(r.role)}; opened ${formatDate(r.openedOn)}; ${r.open ? 'open' : `closed ${formatDate(r.closedOn ?? r.openedOn)}`}; worker ${r.workerName ?? 'not allocated'}`,
          })),
          empty: 'No records you may read.',
        },
        {
          heading: 'Relationships',
          lines: person.relationships.map((r) => ({
            label: words(r.type),
            value: `${r.relatedPersonName}${r.description ? ` (${r.description})` : ''}`,
          })),
          empty: 'None recorded.',
        },
      ],
    };
    await this.audit(
      staff,
      'person.export',
      'person',
      [person.id, ...records.map((r) => r.id)],
      format,
    );
    return document;
  }
}

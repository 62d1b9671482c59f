/**
 * Pages and JSON API for the practice-review workflow. Every handler goes
 * through the service, which asks the one access function; nothing here
 * decides who may see or do what.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptMultipart, type MultipartBody, type UploadedFile } from '../casework/multipart.js';
import { MAX_DOCUMENT_BYTES } from '../casework/schemas.js';
import type { StaffContext } from '../platform/auth/service.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { formatDate } from '../platform/http/views.js';
import { NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { policyFor, type OrganisationSlug } from '../policy/index.js';
import type { SharingService } from '../sharing/service.js';
import { consentReasons } from '../sharing/tables.js';
import { confidentialityStatement } from './confidentiality.js';
import {
  acknowledgementSchema,
  appointmentSchema,
  chronologyOutcomeSchema,
  chronologyRecipients,
  chronologyRequestSchema,
  documentSchema,
  notificationSchema,
  overviewSchema,
  practitionerSchema,
  practitionerShareSchema,
  publicationSchema,
  rapidReviewSchema,
  reportSchema,
  reviewDecisionSchema,
  startSchema,
} from './schemas.js';
import type { PracticeReviewService, UploadedDocument } from './service.js';

const views = 'practice-reviews/views';
const recordParams = z.object({ id: z.string() });
// An item id that is not a UUID names nothing: 404 like a missing one (error-handler.ts).
const itemParams = z.object({ id: z.string(), itemId: z.uuid() });
const created = z.object({ id: z.uuid() });
const ok = z.object({ ok: z.literal(true) });
const UPLOAD_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024;

type Option = { value: string; text: string; hint?: string };

interface Field {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'radios' | 'confirm' | 'file' | 'select';
  hint?: string;
  options?: Option[];
}

interface Step {
  title: string;
  intro?: string[];
  fields: Field[];
  /** Who the step shares with and what, in the words staff see; adds the sharing questions. */
  shares?: string;
  multipart?: boolean;
  submit: string;
  /** Sharing's field names, as this form names them. */
  rename?: Record<string, string>;
}

const yesNo = (yes: string, no: string): Option[] => [
  { value: 'yes', text: yes },
  { value: 'no', text: no },
];

function steps(organisation: OrganisationSlug): Record<string, Step> {
  const recipients = policyFor(organisation).recipients;
  const recipientName = (id: string) => recipients.find((r) => r.id === id)?.name ?? id;
  const chronologyOptions: Option[] = chronologyRecipients.flatMap((id) => {
    const recipient = recipients.find((r) => r.id === id);
    if (!recipient) return [];
    return [
      ...(recipient.safekeepOrganisations ?? [])
        .filter((slug) => slug !== organisation)
        .map((slug) => ({
          value: `${id}@${slug}`,
          text: `${policyFor(slug).shortName} (${recipient.name})`,
          hint: 'In Safekeep: they read exactly what is shared, until access ends',
        })),
      { value: id, text: recipient.name, hint: 'Outside Safekeep: a marked PDF, downloaded once' },
    ];
  });
  return {
    start: {
      title: 'Record the referral',
      intro: ['Start the review with the referral. What it says is kept as a note on the record.'],
      fields: [
        { name: 'referralReceivedOn', label: 'Date the referral was received', kind: 'date' },
        {
          name: 'referredBy',
          label: 'Who made the referral',
          kind: 'text',
          hint: 'The agency or team',
        },
        {
          name: 'awareOn',
          label: 'Date the incident became known',
          kind: 'date',
          hint: 'The National Panel must be notified within 5 working days of this date',
        },
        ...(organisation === 'kscmp'
          ? [
              {
                name: 'incidentDate',
                label: 'Date of the incident (optional)',
                kind: 'date' as const,
                hint: 'Retention runs from this date',
              },
            ]
          : []),
        { name: 'summary', label: 'What the referral says happened', kind: 'textarea' },
      ],
      submit: 'Record the referral',
    },
    notification: {
      title: 'Notification to the National Panel',
      intro: [
        'The local authority must notify the Child Safeguarding Practice Review Panel of a serious child safeguarding incident within 5 working days of becoming aware of it (Working Together to Safeguard Children 2023, chapter 5).',
      ],
      fields: [
        {
          name: 'notified',
          label: 'Was the National Panel notified?',
          kind: 'radios',
          options: yesNo('Yes, notified', 'No, not notified'),
        },
        { name: 'decidedOn', label: 'Date of the notification or decision', kind: 'date' },
        {
          name: 'reasons',
          label: 'Reasons (needed if not notified)',
          kind: 'textarea',
          hint: 'A referral that is not notified is closed here',
        },
        {
          name: 'lateReason',
          label: 'Why the notification was late (needed after the fifth working day)',
          kind: 'textarea',
        },
      ],
      submit: 'Record the decision',
    },
    'rapid-review': {
      title: 'Send to the Rapid Review Group',
      shares: `the record and the referral note, with ${recipientName('rapid-review-group')}`,
      fields: [
        { name: 'recipientName', label: 'Name of the group or its chair', kind: 'text' },
        { name: 'sentOn', label: 'Date sent', kind: 'date' },
      ],
      submit: 'Send to the Rapid Review Group',
    },
    decision: {
      title: 'The rapid review’s decision',
      fields: [
        {
          name: 'lcspr',
          label: 'What did the Rapid Review Group decide?',
          kind: 'radios',
          options: yesNo(
            'A Local Child Safeguarding Practice Review',
            'No practice review (no further action)',
          ),
        },
        { name: 'decidedOn', label: 'Date of the decision', kind: 'date' },
        { name: 'reasons', label: 'Reasons for the decision', kind: 'textarea' },
      ],
      submit: 'Record the decision',
    },
    chronology: {
      title: 'Request a chronology',
      shares: 'the record (so the agency can find the child) and this request, with the agency',
      fields: [
        {
          name: 'recipient',
          label: 'Who the request goes to',
          kind: 'radios',
          hint: 'Only those your privacy notice says chronologies are asked of',
          options: chronologyOptions,
        },
        { name: 'agencyName', label: 'Name of the agency', kind: 'text' },
        {
          name: 'scope',
          label: 'What the chronology should cover',
          kind: 'textarea',
          hint: 'For example, its involvement with the child and family over the last two years',
        },
        { name: 'requestedOn', label: 'Date of the request', kind: 'date' },
        { name: 'dueOn', label: 'Date it is due back', kind: 'date' },
      ],
      submit: 'Send the request',
      rename: {
        recipientName: 'agencyName',
        recipientId: 'recipient',
        recipientOrganisation: 'recipient',
      },
    },
    appointment: {
      title: 'Appoint the lead reviewer or a panel member',
      shares:
        'the record, the referral, the rapid review’s decision and the chronologies that came back, with the person appointed',
      fields: [
        {
          name: 'role',
          label: 'Appointment',
          kind: 'radios',
          options: [
            { value: 'lead-reviewer', text: 'Lead reviewer' },
            {
              value: 'panel-member',
              text: organisation === 'sscp' ? 'Member of the review team' : 'Member of the panel',
            },
          ],
        },
        { name: 'name', label: 'Their name', kind: 'text' },
        { name: 'agency', label: 'Their organisation', kind: 'text' },
        { name: 'appointedOn', label: 'Date appointed', kind: 'date' },
      ],
      submit: 'Appoint and share',
      rename: { recipientName: 'name' },
    },
    practitioner: {
      title: 'Add a practitioner contributing to the review',
      intro: [
        'Nothing is shared with them until they have acknowledged the confidentiality statement.',
      ],
      fields: [
        { name: 'name', label: 'Their name', kind: 'text' },
        { name: 'agency', label: 'Their organisation', kind: 'text' },
        { name: 'jobRole', label: 'Their job role (optional)', kind: 'text' },
        { name: 'appointedOn', label: 'Date they agreed to contribute', kind: 'date' },
      ],
      submit: 'Add the practitioner',
    },
    acknowledge: {
      title: 'Confidentiality acknowledgement',
      intro: [
        `Confidentiality statement (version ${confidentialityStatement.version}):`,
        confidentialityStatement.text,
      ],
      fields: [
        {
          name: 'confirmed',
          label: 'The practitioner has read and accepted this statement',
          kind: 'confirm',
        },
        { name: 'acknowledgedOn', label: 'Date they acknowledged it', kind: 'date' },
      ],
      submit: 'Record the acknowledgement',
    },
    share: {
      title: 'Share with the practitioner',
      shares:
        'the record and the rapid review’s decision (the review’s terms), with the practitioner',
      fields: [],
      submit: 'Share',
      rename: { recipientName: 'form' },
    },
    outcome: {
      title: 'What came back',
      multipart: true,
      fields: [
        {
          name: 'outcome',
          label: 'Outcome',
          kind: 'radios',
          options: [
            { value: 'returned', text: 'The chronology came back' },
            { value: 'declined', text: 'The agency declined' },
          ],
        },
        { name: 'on', label: 'Date', kind: 'date' },
        {
          name: 'document',
          label: 'The chronology (optional if you add a note)',
          kind: 'file',
          hint: 'Attached to the record',
        },
        { name: 'note', label: 'Note of what came back', kind: 'textarea' },
        { name: 'declinedReason', label: 'Why the agency declined', kind: 'textarea' },
      ],
      submit: 'Save',
    },
    report: {
      title: 'Attach the report',
      multipart: true,
      fields: [
        {
          name: 'final',
          label: 'Which version is this?',
          kind: 'radios',
          options: yesNo('The final report', 'A draft'),
        },
        { name: 'document', label: 'The report', kind: 'file', hint: 'Attached to the record' },
      ],
      submit: 'Attach the report',
    },
    publication: {
      title: 'Publication',
      intro: [
        organisation === 'kscmp'
          ? '“It is a statutory requirement to publish the learning and recommendations from Local Child Safeguarding Practice Reviews for a minimum of 1 year. Reports are anonymised to protect the identity of individuals related to the review.” (KSCMP privacy notice)'
          : '“It is statutory requirement to publish the findings from the Local Child Safeguarding Practice Reviews and all reports are fully anonymised to protect the identity of the children and families involved.” (SSCP privacy notice)',
      ],
      fields: [
        { name: 'publishedOn', label: 'Date published', kind: 'date' },
        {
          name: 'withdrawNotBefore',
          label: 'Earliest date it may be taken down (optional)',
          kind: 'date',
          hint: 'At least a year after publication; leave blank for exactly a year',
        },
        { name: 'url', label: 'Where it is published (optional)', kind: 'text' },
        {
          name: 'anonymised',
          label:
            'I have checked the report does not identify the child, the family or anyone related to the review',
          kind: 'confirm',
        },
        ...(organisation === 'kscmp'
          ? [
              {
                name: 'familyAskedToBeNamed',
                label:
                  'The family asked to be named (the notice’s rare exception, e.g. ‘in memory of’)',
                kind: 'confirm' as const,
              },
            ]
          : []),
      ],
      submit: 'Record the publication',
    },
  };
}

/** GOV.UK date inputs (name-day, -month, -year) as YYYY-MM-DD, or '' when left blank. */
function dateFrom(body: Record<string, unknown>, name: string): string {
  const part = (p: string) => String(body[`${name}-${p}`] ?? '').trim();
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (!day && !month && !year) return '';
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The submitted form as the service's input. */
function inputFrom(step: Step, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of step.fields) {
    if (field.kind === 'file') continue;
    if (field.kind === 'date') input[field.name] = dateFrom(body, field.name);
    else if (field.kind === 'confirm')
      input[field.name] = body[field.name] === 'yes' ? 'yes' : undefined;
    else if (typeof body[field.name] === 'string') input[field.name] = body[field.name];
  }
  if (typeof input.recipient === 'string') {
    const [recipientId, recipientOrganisation] = input.recipient.split('@');
    input.recipientId = recipientId;
    input.recipientOrganisation = recipientOrganisation ?? '';
    delete input.recipient;
  }
  if (step.shares) {
    for (const name of ['agreementId', 'consent', 'consentReason', 'justification']) {
      if (typeof body[name] === 'string') input[name] = body[name];
    }
  }
  return input;
}

function uploaded(body: Record<string, unknown>): UploadedDocument | undefined {
  const file = body.document as UploadedFile | string | undefined;
  if (!file || typeof file === 'string' || file.content.length === 0) return undefined;
  return file;
}

async function renderStep(
  reply: FastifyReply,
  reviews: PracticeReviewService,
  sharing: SharingService,
  staff: StaffContext,
  recordId: string,
  name: string,
  action: string,
  submitted: Record<string, unknown> = {},
  errors: FieldError[] = [],
  status: 200 | 400 | 409 = errors.length ? 400 : 200,
  itemId?: string,
) {
  const overview = await reviews.overview(staff, recordId);
  const step = steps(overview.organisation)[name];
  if (!step) return reply.callNotFound();
  // A form for one chronology or practitioner: only one of this review's.
  if (itemId !== undefined) {
    const items = [
      ...(overview.review?.chronologies ?? []),
      ...(overview.review?.practitioners ?? []),
    ];
    if (!items.some((item) => item.id === itemId)) throw new NotFoundError();
  }
  const dateFields = new Set(step.fields.filter((f) => f.kind === 'date').map((f) => f.name));
  const rename = step.rename ?? {};
  const shown = errors.map((e) => ({ ...e, field: rename[e.field] ?? e.field }));
  const agreements = step.shares ? await sharing.agreements(staff) : [];
  const fieldErrors = Object.fromEntries(shown.map((e) => [e.field, { text: e.message }]));
  reply.status(status);
  return reply.render(`${views}/step.njk`, {
    title: step.title,
    backLink: `/records/${recordId}/practice-review`,
    record: overview.record,
    step,
    fields: step.fields.map((field) => ({
      ...field,
      items: (field.options ?? []).map((option) => ({
        value: option.value,
        text: option.text,
        ...(option.hint ? { hint: { text: option.hint } } : {}),
        checked: submitted[field.name] === option.value,
      })),
    })),
    action,
    submitted,
    errors: shown.map((e) => ({
      text: e.message,
      href: `#${dateFields.has(e.field) ? `${e.field}-day` : e.field === 'form' ? 'main-content' : e.field}`,
    })),
    fieldErrors,
    agreementOptions: [
      {
        value: '',
        text: 'None: outside any agreement (needs a justification and a second approver)',
      },
      ...agreements
        .filter((a) => a.purposeSlugs.includes('practice-review'))
        .map((a) => ({
          value: a.id,
          text: `${a.title}${a.overdue ? ' (overdue for review)' : ''}`,
          selected: submitted.agreementId === a.id,
        })),
    ],
    consentOptions: [
      { value: 'given', text: 'Given' },
      { value: 'refused', text: 'Refused' },
      { value: 'not-sought', text: 'Not sought' },
    ].map((o) => ({ ...o, checked: submitted.consent === o.value })),
    reasonOptions: Object.entries(consentReasons).map(([value, text]) => ({
      value,
      text,
      checked: submitted.consentReason === value,
    })),
  });
}

type Overview = Awaited<ReturnType<PracticeReviewService['overview']>>;
type Disclosure = {
  id: string;
  status: string;
  kind: 'grant' | 'package';
  downloaded: boolean;
} | null;

const tag = (text: string, colour?: string) => ({
  tag: { text, ...(colour ? { classes: `govuk-tag--${colour}` } : {}) },
});

/** How far a shared step has got: the disclosure's own state. */
export function disclosureText(disclosure: Disclosure): string {
  if (!disclosure) return '';
  if (disclosure.status === 'awaiting-approval')
    return 'Waiting for a second person to approve the sharing';
  if (disclosure.status === 'refused') return 'Sharing refused by the approver';
  if (disclosure.status === 'revoked') return 'Sharing revoked';
  if (disclosure.kind === 'grant') return 'Shared in Safekeep';
  return disclosure.downloaded
    ? 'Package downloaded and sent'
    : 'Approved: package ready to download';
}

/** The task list: each step, its state, and a link when it can be done now. */
function taskList(overview: Overview) {
  const review = overview.review;
  if (!review) return [];
  const base = `/records/${overview.record.id}/practice-review`;
  const open = new Set(review.steps);
  const link = (step: string, path: string) =>
    open.has(step as never) ? `${base}${path}` : undefined;
  const cannot = { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' };
  const todo = (step: string, path: string, done?: ReturnType<typeof tag>, hint?: string) => {
    const href = link(step, path);
    return {
      href,
      hint: hint ? { text: hint } : undefined,
      status: done ?? (href ? tag('Not yet started', 'blue') : cannot),
    };
  };
  const closed = review.stage === 'not-notified' || review.stage === 'no-review';
  const decision = review.decision;
  return [
    {
      title: { text: 'Referral' },
      hint: {
        text: `Received ${formatDate(review.referral.receivedOn)} from ${review.referral.referredBy}`,
      },
      status: tag('Completed', 'green'),
    },
    {
      title: { text: 'Notify the National Panel' },
      ...todo(
        'decide-notification',
        '/notification',
        review.notification.notified === null
          ? undefined
          : review.notification.notified
            ? tag(
                review.notification.late ? 'Notified late' : 'Notified',
                review.notification.late ? 'orange' : 'green',
              )
            : tag('Not notified', 'grey'),
        review.notification.decidedOn
          ? `Decided ${formatDate(review.notification.decidedOn)}`
          : `Due by ${formatDate(review.notification.dueOn)} (5 working days)`,
      ),
    },
    {
      title: { text: 'Send to the Rapid Review Group' },
      ...todo(
        'send-to-rapid-review',
        '/rapid-review',
        review.rapidReview.sentOn
          ? tag('Sent', 'green')
          : closed
            ? tag('Not needed', 'grey')
            : undefined,
        review.rapidReview.sentOn
          ? `Sent ${formatDate(review.rapidReview.sentOn)}. ${disclosureText(review.rapidReview.disclosure)}`
          : `Rapid review expected by ${formatDate(review.rapidReview.dueOn)} (15 working days)`,
      ),
    },
    {
      title: { text: 'Record the rapid review’s decision' },
      ...todo(
        'decide-review',
        '/decision',
        decision.decidedOn
          ? tag(
              decision.lcspr ? 'Practice review' : 'No practice review',
              decision.lcspr ? 'green' : 'grey',
            )
          : review.stage === 'not-notified'
            ? tag('Not needed', 'grey')
            : undefined,
        decision.decidedOn ? `Decided ${formatDate(decision.decidedOn)}` : undefined,
      ),
    },
    {
      title: { text: 'Request chronologies from partner agencies' },
      ...todo(
        'request-chronology',
        '/chronologies/new',
        review.overdueChronologies.length
          ? tag(`${review.overdueChronologies.length} overdue`, 'red')
          : review.chronologies.length
            ? tag(`${review.chronologies.length} requested`, 'light-blue')
            : closed
              ? tag('Not needed', 'grey')
              : undefined,
      ),
    },
    {
      title: { text: 'Appoint the lead reviewer and panel' },
      ...todo(
        'appoint-panel-member',
        '/appointments/new',
        review.leadReviewer
          ? tag('Lead reviewer appointed', 'green')
          : closed
            ? tag('Not needed', 'grey')
            : undefined,
      ),
    },
    {
      title: { text: 'Practitioners contributing' },
      ...todo(
        'add-practitioner',
        '/practitioners/new',
        review.practitioners.length
          ? tag(`${review.practitioners.length} added`, 'light-blue')
          : closed
            ? tag('Not needed', 'grey')
            : undefined,
      ),
    },
    {
      title: { text: 'Attach the report' },
      ...todo(
        'attach-report',
        '/report',
        review.report.status === 'final'
          ? tag('Final', 'green')
          : review.report.status === 'draft'
            ? tag('Draft', 'yellow')
            : closed
              ? tag('Not needed', 'grey')
              : undefined,
      ),
    },
    {
      title: { text: 'Anonymise the report' },
      href: review.report.anonymisation ? `${base}/anonymise` : undefined,
      hint: { text: 'Every proposed redaction with its reason; a second person approves' },
      status:
        review.report.anonymisation === 'approved'
          ? tag('Approved', 'green')
          : review.report.anonymisation === 'in-review'
            ? tag('In review', 'yellow')
            : review.report.anonymisation === 'not-started'
              ? tag('Not yet started', 'blue')
              : closed
                ? tag('Not needed', 'grey')
                : cannot,
    },
    {
      title: { text: 'Publish the report' },
      ...todo(
        'publish',
        '/publication',
        review.publication.publishedOn
          ? tag('Published', 'green')
          : closed
            ? tag('Not needed', 'grey')
            : undefined,
        review.publication.publishedOn
          ? `Published ${formatDate(review.publication.publishedOn)}; stays up until at least ${formatDate(review.publication.withdrawNotBefore)}`
          : 'Must stay published for at least a year',
      ),
    },
  ];
}

export function registerPracticeReviewRoutes(
  app: FastifyInstance,
  deps: { reviews: PracticeReviewService; sharing: SharingService },
) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { reviews, sharing } = deps;

  typed.get(
    '/records/:id/practice-review',
    { schema: { params: recordParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const overview = await reviews.overview(staff, request.params.id);
      if (!overview.review) {
        if (!overview.canWrite) {
          return reply.render(`${views}/review.njk`, {
            title: 'Practice review',
            backLink: `/records/${request.params.id}`,
            ...overview,
          });
        }
        return renderStep(
          reply,
          reviews,
          sharing,
          staff,
          request.params.id,
          'start',
          `/records/${request.params.id}/practice-review`,
        );
      }
      return reply.render(`${views}/review.njk`, {
        title: 'Practice review',
        backLink: `/records/${request.params.id}`,
        ...overview,
        tasks: taskList(overview),
        disclosureText,
      });
    },
  );

  type StepParams = { id: string; itemId?: string };
  type StepRun = (
    staff: StaffContext,
    params: StepParams,
    input: Record<string, unknown>,
    body: Record<string, unknown>,
  ) => Promise<unknown>;

  /**
   * A step form's POST: run it and go back to the review; refused (the
   * service's errors, or a conflict pointed at the whole form), the form
   * again with its errors.
   */
  const stepPost =
    (name: string, target: (p: StepParams) => string, run: StepRun) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { staff, organisation } = staffInOrganisation(request);
      const p = request.params as StepParams;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const step = steps(organisation.slug as OrganisationSlug)[name];
      if (!step) return reply.callNotFound();
      return submitForm(reply, {
        errors: [],
        save: () => run(staff, p, inputFrom(step, body), body),
        redirectTo: `/records/${p.id}/practice-review`,
        conflictField: 'form',
        render: (shownReply, { errors, conflict }) => {
          // A file is never sent back into the form.
          const shown = Object.fromEntries(
            Object.entries(body as MultipartBody).filter(([key]) => key !== 'document'),
          );
          return renderStep(
            shownReply,
            reviews,
            sharing,
            staff,
            p.id,
            name,
            target(p),
            shown,
            errors,
            conflict ? 409 : 400,
          );
        },
      });
    };

  /** One page form: shown on GET, run on POST, shown again with its errors. */
  const page = (url: string, name: string, run: StepRun) => {
    const params = url.includes(':itemId') ? itemParams : recordParams;
    const target = (p: StepParams) => url.replace(':id', p.id).replace(':itemId', p.itemId ?? '');
    typed.get(url, { schema: { params, hide: true } }, async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const p = request.params as StepParams;
      return renderStep(
        reply,
        reviews,
        sharing,
        staff,
        p.id,
        name,
        target(p),
        {},
        [],
        200,
        p.itemId,
      );
    });
    const handler = stepPost(name, target, run);
    if (steps('kscmp')[name]?.multipart) {
      app.register(async (scope) => {
        acceptMultipart(scope, UPLOAD_LIMIT);
        scope
          .withTypeProvider<ZodTypeProvider>()
          .post(url, { schema: { params, hide: true }, bodyLimit: UPLOAD_LIMIT }, handler);
      });
    } else {
      typed.post(url, { schema: { params, hide: true } }, handler);
    }
  };

  const base = '/records/:id/practice-review';
  // The first step's form is the review page's own GET, so only its POST is a step's.
  typed.post(
    base,
    { schema: { params: recordParams, hide: true } },
    stepPost(
      'start',
      (p) => `/records/${p.id}/practice-review`,
      (staff, p, input) => reviews.start(staff, p.id, input as never),
    ),
  );
  page(`${base}/notification`, 'notification', (staff, p, input) =>
    reviews.decideNotification(staff, p.id, input as never),
  );
  page(`${base}/rapid-review`, 'rapid-review', (staff, p, input) =>
    reviews.sendToRapidReview(staff, p.id, input as never),
  );
  page(`${base}/decision`, 'decision', (staff, p, input) =>
    reviews.decideReview(staff, p.id, input as never),
  );
  page(`${base}/chronologies/new`, 'chronology', (staff, p, input) =>
    reviews.requestChronology(staff, p.id, input as never),
  );
  page(`${base}/chronologies/:itemId/outcome`, 'outcome', (staff, p, input, body) =>
    reviews.recordChronologyOutcome(staff, p.id, p.itemId ?? '', input as never, uploaded(body)),
  );
  page(`${base}/appointments/new`, 'appointment', (staff, p, input) =>
    reviews.appoint(staff, p.id, input as never),
  );
  page(`${base}/practitioners/new`, 'practitioner', (staff, p, input) =>
    reviews.addPractitioner(staff, p.id, input as never),
  );
  page(`${base}/practitioners/:itemId/acknowledgement`, 'acknowledge', (staff, p, input) =>
    reviews.acknowledge(staff, p.id, p.itemId ?? '', input as never),
  );
  page(`${base}/practitioners/:itemId/share`, 'share', (staff, p, input) =>
    reviews.shareWithPractitioner(staff, p.id, p.itemId ?? '', input as never),
  );
  page(`${base}/report`, 'report', (staff, p, input, body) =>
    reviews.attachReport(staff, p.id, input as never, uploaded(body)),
  );
  page(`${base}/publication`, 'publication', (staff, p, input) =>
    reviews.publish(staff, p.id, input as never),
  );

  registerApi(app, reviews);
}

/* ------------------------------------------------------------------ */
/* JSON API                                                            */
/* ------------------------------------------------------------------ */

function documentFrom(document: z.infer<typeof documentSchema> | undefined) {
  return document
    ? {
        filename: document.filename,
        mediaType: document.mediaType,
        content: Buffer.from(document.contentBase64, 'base64'),
      }
    : undefined;
}

function registerApi(app: FastifyInstance, reviews: PracticeReviewService) {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['practice-reviews'];
  const api = '/api/v1/practice-reviews/:id';
  const staffOf = (request: FastifyRequest) => staffInOrganisation(request).staff;

  typed.get(
    api,
    {
      schema: {
        summary: 'A practice review: each step’s state, chronologies (with overdue), appointments',
        description:
          'The id is the practice-review record’s. `review` is null until the referral is recorded.',
        tags,
        params: recordParams,
        response: { 200: overviewSchema },
      },
    },
    async (request) => reviews.overview(staffOf(request), request.params.id),
  );

  typed.post(
    api,
    {
      schema: {
        summary: 'Record the referral (starts the review)',
        tags,
        params: recordParams,
        body: startSchema,
        response: { 201: created },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ id: await reviews.start(staffOf(request), request.params.id, request.body) }),
  );

  const okStep = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    run: (staff: StaffContext, id: string, input: z.infer<S>) => Promise<unknown>,
  ) =>
    typed.post(
      `${api}${path}`,
      { schema: { summary, tags, params: recordParams, body, response: { 200: ok } } },
      async (request) => {
        await run(staffOf(request), request.params.id, request.body as z.infer<S>);
        return { ok: true as const };
      },
    );
  const createdStep = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    run: (staff: StaffContext, id: string, input: z.infer<S>) => Promise<string>,
  ) =>
    typed.post(
      `${api}${path}`,
      { schema: { summary, tags, params: recordParams, body, response: { 201: created } } },
      async (request, reply) =>
        reply
          .status(201)
          .send({ id: await run(staffOf(request), request.params.id, request.body as z.infer<S>) }),
    );

  okStep(
    '/notification',
    'Record the National Panel notification decision',
    notificationSchema,
    (s, id, i) => reviews.decideNotification(s, id, i),
  );
  createdStep(
    '/rapid-review',
    'Send the referral to the Rapid Review Group (a disclosure of the record and the referral note); returns the disclosure',
    rapidReviewSchema,
    (s, id, i) => reviews.sendToRapidReview(s, id, i),
  );
  okStep('/decision', 'Record the rapid review’s decision', reviewDecisionSchema, (s, id, i) =>
    reviews.decideReview(s, id, i),
  );
  createdStep(
    '/chronologies',
    'Request a chronology from a partner agency (a disclosure of the record and the request)',
    chronologyRequestSchema,
    (s, id, i) => reviews.requestChronology(s, id, i),
  );
  createdStep(
    '/appointments',
    'Appoint the lead reviewer or a panel member, sharing what the review needs',
    appointmentSchema,
    (s, id, i) => reviews.appoint(s, id, i),
  );
  createdStep(
    '/practitioners',
    'Add a contributing practitioner (nothing is shared yet)',
    practitionerSchema,
    (s, id, i) => reviews.addPractitioner(s, id, i),
  );

  typed.post(
    `${api}/chronologies/:itemId/outcome`,
    {
      bodyLimit: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        summary:
          'Record what came back for a chronology request (a document, a note, or a decline)',
        tags,
        params: itemParams,
        body: chronologyOutcomeSchema.extend({ document: documentSchema.optional() }),
        response: { 200: ok },
      },
    },
    async (request) => {
      const { document, ...input } = request.body;
      await reviews.recordChronologyOutcome(
        staffOf(request),
        request.params.id,
        request.params.itemId,
        input,
        documentFrom(document),
      );
      return { ok: true as const };
    },
  );
  typed.post(
    `${api}/practitioners/:itemId/acknowledgement`,
    {
      schema: {
        summary: `Record a practitioner’s confidentiality acknowledgement (statement version ${confidentialityStatement.version})`,
        tags,
        params: itemParams,
        body: acknowledgementSchema,
        response: { 200: ok },
      },
    },
    async (request) => {
      await reviews.acknowledge(
        staffOf(request),
        request.params.id,
        request.params.itemId,
        request.body,
      );
      return { ok: true as const };
    },
  );
  typed.post(
    `${api}/practitioners/:itemId/share`,
    {
      schema: {
        summary:
          'Share with an acknowledged practitioner: the record and the rapid review’s decision',
        tags,
        params: itemParams,
        body: practitionerShareSchema,
        response: { 201: created },
      },
    },
    async (request, reply) =>
      reply.status(201).send({
        id: await reviews.shareWithPractitioner(
          staffOf(request),
          request.params.id,
          request.params.itemId,
          request.body,
        ),
      }),
  );
  typed.post(
    `${api}/report`,
    {
      bodyLimit: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        summary: 'Attach the draft or final report (a document on the record)',
        tags,
        params: recordParams,
        body: reportSchema.extend({ document: documentSchema }),
        response: { 201: created },
      },
    },
    async (request, reply) => {
      const { document, ...input } = request.body;
      return reply.status(201).send({
        id: await reviews.attachReport(
          staffOf(request),
          request.params.id,
          input,
          documentFrom(document),
        ),
      });
    },
  );
  okStep(
    '/publication',
    'Record the report’s publication: it must stay published for at least a year, and be anonymised',
    publicationSchema,
    (s, id, i) => reviews.publish(s, id, i),
  );
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { MultipartBody } from '../../casework/multipart.js';
import { acceptMultipart } from '../../casework/multipart.js';
import type { Database } from '../../db/schema.js';
import { canPolicy, type PolicyAction } from '../../platform/access/policy-rules.js';
import { staffInOrganisation } from '../../platform/auth/session-hook.js';
import { NotFoundError, ValidationError, type FieldError } from '../../platform/errors/errors.js';
import { dateInputFields, dateInputValues } from '../../platform/http/date-input.js';
import { submitForm, type FormRefusal } from '../../platform/http/form-route.js';
import { errorView, parseForm } from '../../platform/http/forms.js';
import { formatDate } from '../../platform/http/views.js';
import { policyFor } from '../../policy/index.js';
import type { PolicyProblem } from '../../policy/schema.js';
import { changeOf, changesOf, changeStateWords } from './change-pages.js';
import { changeInWords } from './change-words.js';
import { markNoticeReviewed } from './notice-review.js';
import { reviewDue } from '../notice/review.js';
import { PolicyChangeError, type PolicyChanges } from './changes.js';
import { ukDate, type PolicyVersions } from './versions.js';

const views = 'governance/policy/views';
const base = '/governance/policy';
/** Ids are checked by the page's query: a malformed one is "not found" like any other. */
const idParams = z.object({ id: z.string() });
/** A policy document is a few hundred lines; an upload with the form's fields stays well under this. */
const DOCUMENT_LIMIT = 1_048_576;

const effectiveForm = dateInputFields('effectiveFrom', 'the date it takes effect');

/** A refusal from the service, shown on the form as the error it is. */
async function asFormError<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PolicyChangeError) {
      throw new ValidationError([{ field, message: error.message }]);
    }
    throw error;
  }
}

/** "Line 12 (categories[0].retention): must be at least 1 year". */
function problemWords(problem: PolicyProblem): string {
  const where = [
    problem.line !== undefined ? `Line ${problem.line}` : null,
    problem.path && !/^line \d+$/.test(problem.path) ? `at ${problem.path}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/**
 * Changing an organisation's policy from the browser (issue 11; decision
 * 0025): information governance proposes a new version by pasting or
 * uploading its document, everyone governing sees the preview, the DPO —
 * another person — approves, and governance applies it. Every step is the
 * service the command line uses (changes.ts), which checks the roles again.
 */
export function registerPolicyRoutes(
  app: FastifyInstance,
  deps: {
    db: Kysely<Database>;
    changes: PolicyChanges;
    versions: PolicyVersions;
    now?: (() => Date) | undefined;
  },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const now = deps.now ?? (() => new Date());

  /** The signed-in member, if their role may do this; "not found" otherwise. */
  function allowed(request: Parameters<typeof staffInOrganisation>[0], action: PolicyAction) {
    const { staff, organisation } = staffInOrganisation(request);
    if (!canPolicy(staff, action)) throw new NotFoundError();
    return { staff, organisation };
  }

  typed.get(base, { schema: { hide: true } }, async (request, reply) => {
    const { staff, organisation } = allowed(request, 'policy.view');
    const history = await deps.versions.history(organisation.slug);
    const current = history[history.length - 1];
    const changes = await changesOf(deps.db, organisation.id);
    return reply.render(`${views}/policy.njk`, {
      title: 'Policy and its changes',
      policy: policyFor(organisation.slug),
      current: current
        ? { version: current.version, from: formatDate(current.effectiveFrom) }
        : null,
      changes: changes.map((c) => ({
        ...c,
        stateWords: changeStateWords[c.state],
        proposedOn: formatDate(c.proposedAt),
        effectiveOn: formatDate(c.effectiveFrom),
      })),
      mayPropose: canPolicy(staff, 'policy.propose'),
      review: await reviewView(organisation.slug, canPolicy(staff, 'notice.review')),
    });
  });

  async function reviewView(slug: string, mayReview: boolean) {
    const review = policyFor(slug).noticeReview;
    const due = reviewDue(review);
    const last = await deps.versions.lastReview(slug);
    return {
      lastReviewed: review.reviewed ? formatDate(review.reviewed) : null,
      by: last?.by ?? null,
      dueOn: due ? formatDate(due) : null,
      isDue: due === null || due <= ukDate(now()),
      mayReview,
    };
  }

  typed.post(`${base}/review`, { schema: { hide: true } }, async (request, reply) => {
    const { staff, organisation } = allowed(request, 'notice.review');
    return submitForm(reply, {
      errors: [],
      save: () =>
        asFormError('review', () =>
          markNoticeReviewed(
            deps.db,
            { organisation: organisation.slug, accountId: staff.accountId },
            now,
          ),
        ),
      redirectTo: `${base}#notice-review`,
      render: async (r, refusal) =>
        r.render(`${views}/policy.njk`, {
          title: 'Policy and its changes',
          policy: policyFor(organisation.slug),
          current: null,
          changes: [],
          mayPropose: false,
          review: await reviewView(organisation.slug, true),
          ...errorView(refusal.errors),
        }),
    });
  });

  async function renderPropose(
    reply: FastifyReply,
    refusal: FormRefusal,
    body: Record<string, unknown> | null,
    problems: PolicyProblem[] = [],
  ) {
    const { organisation } = staffInOrganisation(reply.request);
    // A new version starts from the one in force, so only what changes is typed.
    const document =
      body === null
        ? await deps.versions.textInForce(organisation.slug)
        : String(body.document ?? '');
    return reply.render(`${views}/propose.njk`, {
      title: 'Propose a change to the policy',
      backLink: base,
      document,
      effectiveItems: dateInputValues(body ?? {}, 'effectiveFrom'),
      problems: problems.map(problemWords),
      ...errorView(refusal.errors),
    });
  }

  typed.get(`${base}/propose`, { schema: { hide: true } }, async (request, reply) => {
    allowed(request, 'policy.propose');
    return renderPropose(reply, { errors: [], conflict: false }, null);
  });

  // The form may carry the document as an uploaded file: multipart here only.
  app.register(async (scope) => {
    acceptMultipart(scope, DOCUMENT_LIMIT);
    scope.post(
      `${base}/propose`,
      { schema: { hide: true }, bodyLimit: DOCUMENT_LIMIT },
      async (request, reply) => {
        const { staff, organisation } = allowed(request, 'policy.propose');
        const raw = (request.body ?? {}) as MultipartBody;
        const file = raw.documentFile;
        const uploaded =
          file && typeof file !== 'string' && file.content.length > 0
            ? file.content.toString('utf8')
            : null;
        // What was typed (or the file's text) is shown again whatever is wrong.
        const values: Record<string, unknown> = Object.fromEntries(
          Object.entries(raw).filter(([, v]) => typeof v === 'string'),
        );
        if (uploaded !== null) values.document = uploaded;
        const source = String(values.document ?? '');
        const errors: FieldError[] = [];
        const date = parseForm(effectiveForm, values);
        if (!date.ok) errors.push(...date.errors);
        else if (date.data.effectiveFrom < ukDate(now())) {
          errors.push({
            field: 'effectiveFrom',
            message: 'The date it takes effect must be today or later',
          });
        }
        if (source.trim() === '') {
          errors.push({
            field: 'document',
            message: 'Paste the policy document, or choose its file',
          });
        }
        let problems: PolicyProblem[] = [];
        let changeId = '';
        return submitForm(reply, {
          errors,
          save: async () => {
            if (!date.ok) return;
            const result = await asFormError('document', () =>
              deps.changes.propose({
                organisation: organisation.slug,
                source,
                file: 'the document',
                effectiveFrom: date.data.effectiveFrom,
                by: { accountId: staff.accountId },
              }),
            );
            if (!result.ok) {
              problems = result.problems;
              throw new ValidationError([
                {
                  field: 'document',
                  message: `The document has ${problems.length} problem${problems.length === 1 ? '' : 's'}: nothing was saved. Put ${problems.length === 1 ? 'it' : 'each'} right and propose it again.`,
                },
              ]);
            }
            changeId = result.changeId;
          },
          redirectTo: () => `${base}/changes/${changeId}`,
          render: (r, refusal) => renderPropose(r, refusal, values, problems),
        });
      },
    );
  });

  async function renderChange(reply: FastifyReply, id: string, refusal: FormRefusal) {
    const { staff, organisation } = allowed(reply.request, 'policy.view');
    const change = await changeOf(deps.db, organisation.id, id);
    if (!change) throw new NotFoundError();
    const today = ukDate(now());
    let inWords = null;
    if (change.state !== 'applied') {
      const preview = await deps.changes.preview(change.id, { accountId: staff.accountId });
      inWords = changeInWords(policyFor(organisation.slug), change.policy, preview);
    }
    const due = change.effectiveFrom <= today;
    return reply.render(`${views}/change.njk`, {
      title: 'A change to the policy',
      backLink: base,
      change: {
        ...change,
        stateWords: changeStateWords[change.state],
        proposedOn: formatDate(change.proposedAt),
        effectiveOn: formatDate(change.effectiveFrom),
        approvedOn: change.approvedAt ? formatDate(change.approvedAt) : null,
        appliedOn: change.appliedAt ? formatDate(change.appliedAt) : null,
      },
      inWords,
      slug: organisation.slug,
      mayApprove:
        change.state === 'awaiting-approval' &&
        canPolicy(staff, 'policy.approve') &&
        change.proposedById !== staff.accountId,
      ownProposal: change.proposedById === staff.accountId,
      mayApply:
        (change.state === 'approved' || change.state === 'applying') &&
        canPolicy(staff, 'policy.apply') &&
        due,
      waitsForDate: (change.state === 'approved' || change.state === 'applying') && !due,
      ...errorView(refusal.errors),
    });
  }

  typed.get(`${base}/changes/:id`, { schema: { params: idParams, hide: true } }, (request, reply) =>
    renderChange(reply, request.params.id, { errors: [], conflict: false }),
  );

  typed.get(
    `${base}/changes/:id/document`,
    { schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const { organisation } = allowed(request, 'policy.view');
      const change = await changeOf(deps.db, organisation.id, request.params.id);
      if (!change) throw new NotFoundError();
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${organisation.slug}.yaml"`)
        .send(change.documentText);
    },
  );

  const steps: {
    path: string;
    action: PolicyAction;
    run: (id: string, accountId: string) => Promise<unknown>;
  }[] = [
    {
      path: 'approve',
      action: 'policy.approve',
      run: (id, accountId) => deps.changes.approve(id, { accountId }),
    },
    {
      path: 'apply',
      action: 'policy.apply',
      run: (id, accountId) => deps.changes.apply(id, { by: { accountId } }),
    },
  ];
  for (const step of steps) {
    typed.post(
      `${base}/changes/:id/${step.path}`,
      { schema: { params: idParams, hide: true } },
      async (request, reply) => {
        const { staff, organisation } = allowed(request, 'policy.view');
        // Access first: an id that is not this organisation's change is "not found".
        const change = await changeOf(deps.db, organisation.id, request.params.id);
        if (!change || !canPolicy(staff, step.action)) throw new NotFoundError();
        return submitForm(reply, {
          errors: [],
          save: () => asFormError(step.path, () => step.run(change.id, staff.accountId)),
          redirectTo: `${base}/changes/${change.id}`,
          render: (r, refusal) => renderChange(r, change.id, refusal),
        });
      },
    );
  }
}

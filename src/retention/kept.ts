/**
 * Information governance's page of the records kept instead of destroyed
 * (issue 12 item 15; decision 0020): archived and inaccessible records of
 * their organisation, out of every other list and search. It names no one
 * (an inaccessible record's people are opened only with a reason), and the
 * list itself is an audited read.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { findCategory, isCategorySlug, isOrganisationSlug } from '../policy/index.js';

const KEPT_PAGE_LIMIT = 200;

export function registerKeptRecordsPage(app: FastifyInstance, deps: { db: Kysely<Database> }) {
  app.get('/retention/kept', { schema: { hide: true } }, async (request, reply) => {
    const { staff } = staffInOrganisation(request);
    const organisation = staff.organisation;
    // Information governance alone may open what is listed here.
    if (!organisation || !staff.roles.includes('information-governance')) {
      throw new NotFoundError();
    }
    const rows = await deps.db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('case_record')
        .select([
          'id',
          'category',
          'opened_on',
          'record_state',
          'state_changed_on',
          'retention_action',
          'retention_due',
        ])
        .where('organisation_id', '=', organisation.id)
        .where('record_state', '!=', 'active')
        .orderBy('state_changed_on', 'desc')
        .orderBy('id')
        .limit(KEPT_PAGE_LIMIT)
        .execute();
      await recordAudit(trx, {
        action: 'retention.kept.list',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'case-record',
        objectIds: found.map((r) => r.id),
        purpose: 'retention',
      });
      return found;
    });
    const slug = organisation.slug;
    return reply.render('retention/views/kept.njk', {
      title: 'Archived and inaccessible records',
      backLink: '/retention',
      limit: KEPT_PAGE_LIMIT,
      records: rows.map((r) => ({
        id: r.id,
        categoryName:
          isOrganisationSlug(slug) && isCategorySlug(r.category)
            ? (findCategory(slug, r.category)?.name ?? 'Unknown category')
            : 'Unknown category',
        openedOn: r.opened_on,
        state: r.record_state === 'archived' ? 'Archived' : 'Inaccessible to system users',
        keptOn: r.state_changed_on,
        next:
          r.retention_action === 'destroy' && r.retention_due
            ? { destroyOn: r.retention_due }
            : { destroyOn: null },
        openText: r.record_state === 'archived' ? 'Open' : 'Open with a reason',
      })),
    });
  });
}

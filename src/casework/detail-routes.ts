/**
 * The pages that change one part of a record's detail: add, change or
 * remove an item of a list (a placement, an agency involved) or change an
 * object (the plan's details), each on its own page opened on the record's
 * version, so a stale page is refused rather than overwriting.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { staffInOrganisation } from '../platform/auth/session-hook.js';
import { AppError, NotFoundError, type FieldError } from '../platform/errors/errors.js';
import { submitForm } from '../platform/http/form-route.js';
import { errorView } from '../platform/http/forms.js';
import {
  detailListFormsFor,
  detailObjectFormsFor,
  type DetailListForm,
  type DetailObjectForm,
} from './categories.js';
import {
  detailFormValues,
  detailItemErrors,
  detailItemFromForm,
  readForm,
  type DetailPartFields,
} from './form-input.js';
import {
  capitalise,
  detailFieldsModel,
  formVersion,
  recordCaption,
  shownValue,
  withArticle,
} from './page-model.js';
import { itemParams, partParams } from './route-params.js';
import { staleVersionError, type CaseworkService, type RecordView } from './service.js';

const views = 'casework/views';

export function registerDetailRoutes(
  app: FastifyInstance,
  deps: { casework: CaseworkService },
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { casework } = deps;

  /** The record's category's list named `:part`, or "not found". */
  function listFormOf(view: RecordView, name: string): DetailListForm {
    const list = detailListFormsFor(view.category).find((l) => l.name === name);
    if (!list) throw new NotFoundError();
    return list;
  }

  function objectFormOf(view: RecordView, name: string): DetailObjectForm {
    const part = detailObjectFormsFor(view.category).find((o) => o.name === name);
    if (!part) throw new NotFoundError();
    return part;
  }

  function storedList(view: RecordView, list: DetailListForm): unknown[] {
    const value = view.detail[list.name];
    return Array.isArray(value) ? value : [];
  }

  /** The item at `:index`, or "not found" (a stale page's index is answered by the version check first). */
  function itemAt(view: RecordView, list: DetailListForm, index: number, version?: unknown) {
    const items = storedList(view, list);
    if (index < items.length) return items[index];
    if (version !== undefined && Number(version) !== view.version) throw staleVersionError();
    throw new NotFoundError();
  }

  /** What one item page is: its wording, where it posts, and how a saved item changes the detail. */
  interface DetailPage {
    heading: string;
    /** The button's words, when not the heading's. */
    button?: string;
    action: string;
    fields: DetailPartFields;
    /** The detail path the service reports errors under, e.g. "detail.conferences.3". */
    errorPath: string;
  }

  function renderDetailForm(
    reply: FastifyReply,
    view: RecordView,
    page: DetailPage,
    version: unknown,
    values: Record<string, unknown>,
    errors: FieldError[],
    conflict = false,
  ) {
    const shown = errorView(errors);
    return reply.render(`${views}/detail-list-item.njk`, {
      title: `${page.heading} – ${view.categoryName}`,
      heading: page.heading,
      button: page.button,
      caption: recordCaption(view),
      action: page.action,
      recordId: view.id,
      version,
      conflict,
      fields: detailFieldsModel(page.fields.fields, values, shown.fieldErrors),
      ...shown,
    });
  }

  /**
   * Saves an item page: the item is read from the form, `patch` makes the
   * detail change from it, and the record is updated on the version the
   * page was opened on. Bad input or a stale version shows the page again
   * with the GOV.UK error summary (or the conflict banner), nothing saved.
   */
  async function saveDetailForm(
    request: FastifyRequest,
    reply: FastifyReply,
    view: RecordView,
    page: DetailPage,
    patch: (item: unknown) => Record<string, unknown>,
  ) {
    const { staff } = staffInOrganisation(request);
    const form = readForm(request.body);
    const sent = (form.values.item ?? {}) as Record<string, unknown>;
    const { item, errors } = detailItemFromForm(page.fields, form);
    return submitForm(reply, {
      errors,
      save: () =>
        casework.update(staff, view.id, {
          version: Number(form.values.version),
          detailPatch: patch(item),
        }),
      redirectTo: `/records/${view.id}#detail`,
      mapErrors: (refused) => detailItemErrors(page.fields, page.errorPath, refused),
      conflictField: 'version',
      render: (shown, refusal) =>
        renderDetailForm(
          shown,
          view,
          page,
          form.values.version,
          sent,
          refusal.errors,
          refusal.conflict,
        ),
    });
  }

  /** Opens the record to change it: "not found" to those who may not see it, back to it for readers. */
  async function openToChange(request: FastifyRequest, recordId: string) {
    const { staff } = staffInOrganisation(request);
    const view = await casework.open(staff, recordId);
    return { view, canWrite: view.access.canWrite };
  }

  const newItemPage = (view: RecordView, list: DetailListForm): DetailPage => ({
    heading: `Add ${withArticle(list.itemLabel)}`,
    action: `/records/${view.id}/details/${list.name}/new`,
    fields: list,
    errorPath: `detail.${list.name}.${storedList(view, list).length}`,
  });

  typed.get(
    '/records/:id/details/:part/new',
    { schema: { params: partParams, hide: true } },
    async (request, reply) => {
      const { view, canWrite } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      if (!canWrite) return reply.redirect(`/records/${view.id}`, 303);
      return renderDetailForm(reply, view, newItemPage(view, list), view.version, {}, []);
    },
  );

  typed.post(
    '/records/:id/details/:part/new',
    { schema: { params: partParams, hide: true } },
    async (request, reply) => {
      const { view } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      return saveDetailForm(request, reply, view, newItemPage(view, list), (item) => ({
        [list.name]: [...storedList(view, list), item],
      }));
    },
  );

  const editItemPage = (view: RecordView, list: DetailListForm, index: number): DetailPage => ({
    heading: `Change ${list.itemLabel} ${index + 1}`,
    button: 'Save changes',
    action: `/records/${view.id}/details/${list.name}/${index}/edit`,
    fields: list,
    errorPath: `detail.${list.name}.${index}`,
  });

  typed.get(
    '/records/:id/details/:part/:index/edit',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { view, canWrite } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      const { index } = request.params;
      const item = itemAt(view, list, index);
      if (!canWrite) return reply.redirect(`/records/${view.id}`, 303);
      const values = detailFormValues(list, item);
      return renderDetailForm(
        reply,
        view,
        editItemPage(view, list, index),
        view.version,
        values,
        [],
      );
    },
  );

  typed.post(
    '/records/:id/details/:part/:index/edit',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { view } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      const { index } = request.params;
      itemAt(view, list, index, formVersion(request.body));
      return saveDetailForm(request, reply, view, editItemPage(view, list, index), (item) => ({
        [list.name]: storedList(view, list).map((old, i) => (i === index ? item : old)),
      }));
    },
  );

  function renderRemove(
    reply: FastifyReply,
    view: RecordView,
    list: DetailListForm,
    index: number,
    version: unknown,
    conflict = false,
  ) {
    const item = storedList(view, list)[index];
    const title = `${capitalise(list.itemLabel)} ${index + 1}`;
    return reply.render(`${views}/detail-remove.njk`, {
      title: `Remove ${list.itemLabel} ${index + 1} – ${view.categoryName}`,
      heading: `Remove ${list.itemLabel} ${index + 1}?`,
      caption: recordCaption(view),
      action: `/records/${view.id}/details/${list.name}/${index}/remove`,
      recordId: view.id,
      version,
      conflict,
      itemTitle: title,
      rows:
        item === undefined
          ? []
          : list.fields
              .map((f) => [f, detailFormValues(list, item)[f.name]] as const)
              .filter(([, value]) => value !== undefined && value !== '')
              .map(([f, value]) => ({
                key: { text: f.label },
                value: { text: shownValue(f, value) },
              })),
    });
  }

  typed.get(
    '/records/:id/details/:part/:index/remove',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { view, canWrite } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      const { index } = request.params;
      itemAt(view, list, index);
      if (!canWrite) return reply.redirect(`/records/${view.id}`, 303);
      return renderRemove(reply, view, list, index, view.version);
    },
  );

  typed.post(
    '/records/:id/details/:part/:index/remove',
    { schema: { params: itemParams, hide: true } },
    async (request, reply) => {
      const { staff } = staffInOrganisation(request);
      const { view } = await openToChange(request, request.params.id);
      const list = listFormOf(view, request.params.part);
      const { index } = request.params;
      const version = formVersion(request.body);
      itemAt(view, list, index, version);
      try {
        await casework.update(staff, view.id, {
          version: Number(version),
          detailPatch: { [list.name]: storedList(view, list).filter((_, i) => i !== index) },
        });
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 409) throw error;
        reply.status(409);
        return renderRemove(reply, view, list, index, version, true);
      }
      return reply.redirect(`/records/${view.id}#detail`, 303);
    },
  );

  const objectPage = (view: RecordView, part: DetailObjectForm): DetailPage => ({
    heading: part.changeLabel,
    button: 'Save',
    action: `/records/${view.id}/details/${part.name}/edit`,
    fields: part,
    errorPath: `detail.${part.name}`,
  });

  typed.get(
    '/records/:id/details/:part/edit',
    { schema: { params: partParams, hide: true } },
    async (request, reply) => {
      const { view, canWrite } = await openToChange(request, request.params.id);
      const part = objectFormOf(view, request.params.part);
      if (!canWrite) return reply.redirect(`/records/${view.id}`, 303);
      const values = detailFormValues(part, view.detail[part.name]);
      return renderDetailForm(reply, view, objectPage(view, part), view.version, values, []);
    },
  );

  typed.post(
    '/records/:id/details/:part/edit',
    { schema: { params: partParams, hide: true } },
    async (request, reply) => {
      const { view } = await openToChange(request, request.params.id);
      const part = objectFormOf(view, request.params.part);
      return saveDetailForm(request, reply, view, objectPage(view, part), (item) => ({
        [part.name]: item,
      }));
    },
  );
}

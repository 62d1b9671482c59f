import type { FastifyReply } from 'fastify';
import { AppError, ValidationError, type FieldError } from '../errors/errors.js';

/** What a page form shows again when its save was refused. */
export interface FormRefusal {
  errors: FieldError[];
  /** Someone else saved first (409): the page says so; nothing was saved. */
  conflict: boolean;
}

/**
 * The end of every page form's POST: with no errors from reading the form,
 * `save` runs and the browser is sent on (303, so reloading does not post
 * again). A refusal the user can act on — the service's validation errors
 * (400), or with `conflictField` a stale version (409) — shows the form
 * again through `render`, with the status set, for the GOV.UK error
 * summary. Anything else goes to the error handler.
 */
export async function submitForm(
  reply: FastifyReply,
  options: {
    /** Errors found while reading the form; when any, nothing is saved. */
    errors: FieldError[];
    save: () => Promise<unknown>;
    redirectTo: string | (() => string);
    /** The service's field names as the form's field ids. */
    mapErrors?: (errors: FieldError[]) => FieldError[];
    /** Where the error summary points for a stale version; without it a 409 is not the form's to show. */
    conflictField?: string;
    render: (reply: FastifyReply, refusal: FormRefusal) => unknown;
  },
): Promise<unknown> {
  let errors = options.errors;
  let conflict = false;
  if (errors.length === 0) {
    try {
      await options.save();
      const to =
        typeof options.redirectTo === 'function' ? options.redirectTo() : options.redirectTo;
      return reply.redirect(to, 303);
    } catch (error) {
      if (error instanceof ValidationError) {
        errors = options.mapErrors ? options.mapErrors(error.fieldErrors) : error.fieldErrors;
      } else if (
        options.conflictField !== undefined &&
        error instanceof AppError &&
        error.status === 409
      ) {
        conflict = true;
        errors = [{ field: options.conflictField, message: error.message }];
      } else {
        throw error;
      }
    }
  }
  reply.status(conflict ? 409 : 400);
  return options.render(reply, { errors, conflict });
}

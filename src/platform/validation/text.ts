/**
 * Text as every boundary takes it (forms, the JSON API, the CLI, imports):
 * one place that decides which characters a person's words may contain.
 *
 * A NUL cannot be stored in PostgreSQL text at all, and other control
 * characters (escape sequences, form feeds, the C1 range) are never typed by
 * a person: they arrive from pasted binary or from someone probing. An
 * unpaired UTF-16 surrogate is not a character and would be stored as a
 * replacement mark. All are refused with a message, never stripped
 * silently, so what is saved is what the person saw.
 */
import { z } from 'zod';
import './messages.js';

/** Anything below space, DEL and the C1 controls: never in a one-line answer. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const anyControl = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** As above but line feed, carriage return and tab, which paragraphs use. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlExceptLayout = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

export function hasControlCharacters(text: string, options: { multiLine: boolean }): boolean {
  return (options.multiLine ? controlExceptLayout : anyControl).test(text);
}

/** Every UTF-16 surrogate paired: the string can be written as UTF-8. */
export function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Why a piece of text cannot be taken, in words for the person who typed it; null when it can. */
export function textProblem(
  text: string,
  label: string,
  options: { multiLine: boolean },
): string | null {
  if (!isWellFormed(text) || text.includes('\u0000')) {
    return `${capitalise(label)} contains a hidden character that cannot be saved. Remove it and try again`;
  }
  if (hasControlCharacters(text, options)) {
    return options.multiLine
      ? `${capitalise(label)} contains a hidden control character. Remove it and try again`
      : `${capitalise(label)} must be on one line, without tabs or hidden characters`;
  }
  return null;
}

function checked(label: string, multiLine: boolean) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .superRefine((value, ctx) => {
      const problem = textProblem(value, label, { multiLine });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/**
 * A one-line answer (a name, a title, a reference), trimmed. `label` names
 * it in messages: "the first name" gives "Enter the first name". Chain
 * `.min()` / `.max()` as the field needs.
 */
export function singleLineText(label: string) {
  return checked(label, false);
}

/** Paragraphs (a note, a summary): line breaks and tabs allowed, other control characters not. */
export function multiLineText(label: string) {
  return checked(label, true);
}

/** A required one-line answer of at most `max` characters. */
export function requiredLine(label: string, max: number) {
  return singleLineText(label)
    .min(1, `Enter ${label}`)
    .max(
      max,
      `${capitalise(stripArticle(label))} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    );
}

/** Required paragraphs of at most `max` characters. */
export function requiredParagraphs(label: string, max: number) {
  return multiLineText(label)
    .min(1, `Enter ${label}`)
    .max(
      max,
      `${capitalise(stripArticle(label))} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    );
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function stripArticle(label: string): string {
  return label.replace(/^(the|a|an|your) /i, '');
}

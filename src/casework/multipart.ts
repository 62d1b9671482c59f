/**
 * A minimal multipart/form-data reader for the document upload form (GOV.UK
 * file upload needs one; no multipart plugin is installed). It reads the
 * buffered body: text fields as strings (the CSRF token among them) and
 * files as { filename, mediaType, content }. Size is capped by the route's
 * bodyLimit before this runs.
 */
import type { FastifyInstance } from 'fastify';
import { UnreadableInputError } from '../platform/errors/errors.js';

const unreadable = () =>
  new UnreadableInputError(
    'The upload could not be read. Go back, choose the file again and retry.',
  );

export interface UploadedFile {
  filename: string;
  mediaType: string;
  content: Buffer;
}

export type MultipartBody = Record<string, string | UploadedFile>;

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const match = /boundary=(?:"([^"]*)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  // A typed refusal (400 with a page saying what to do), not a plain Error that would be a 500.
  if (!boundary || boundary.trim() === '') throw unreadable();
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const type = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase();
      if (name !== undefined) {
        result[name] =
          filename !== undefined
            ? {
                filename,
                mediaType: type ?? 'application/octet-stream',
                content: Buffer.from(content),
              }
            : content.toString('utf8');
      }
    }
    start = next;
  }
  return result;
}

/** Adds the multipart parser to an encapsulated scope (only its routes accept uploads). */
export function acceptMultipart(scope: FastifyInstance, bodyLimit: number): void {
  scope.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit },
    (request, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
      } catch (error) {
        done(error instanceof UnreadableInputError ? error : unreadable(), undefined);
      }
    },
  );
}

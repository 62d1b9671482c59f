import type { FastifyReply } from 'fastify';

/** Sends a record's document as a download (pages and API alike). */
export function sendDocument(
  reply: FastifyReply,
  document: { filename: string; mediaType: string; content: Buffer },
) {
  // Always a download, never rendered in the app's origin.
  const ascii = document.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', document.mediaType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(document.content);
}

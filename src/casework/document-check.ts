/**
 * The checks a document passes before it is kept on a record: a plain file
 * name (never a path), not empty, within the size limit, of an allowed type,
 * and with contents that are what its type says.
 */
import { ValidationError, type FieldError } from '../platform/errors/errors.js';
import { allowedDocumentTypes, MAX_DOCUMENT_BYTES } from './schemas.js';

/** Checks a document's name, size and type; returns the name to keep. */
export function checkDocument(file: {
  filename: string;
  mediaType: string;
  content: Buffer;
}): string {
  const errors: FieldError[] = [];
  // Keep only the base name, without control characters: never a path.
  const filename = (file.filename.split(/[\\/]/).pop() ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  if (!filename) errors.push({ field: 'document', message: 'Select a file' });
  if (file.content.length === 0)
    errors.push({ field: 'document', message: 'The selected file is empty' });
  if (file.content.length > MAX_DOCUMENT_BYTES) {
    errors.push({
      field: 'document',
      message: `The selected file must be smaller than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`,
    });
  }
  if (!(file.mediaType in allowedDocumentTypes)) {
    errors.push({
      field: 'document',
      message: `The selected file must be a ${Object.values(allowedDocumentTypes).join(', ')}`,
    });
  } else if (file.content.length > 0 && !contentMatches(file.mediaType, file.content)) {
    errors.push({
      field: 'document',
      message: 'The selected file’s contents do not match its type',
    });
  }
  if (errors.length) throw new ValidationError(errors.slice(0, 1));
  return filename;
}

function contentMatches(mediaType: string, content: Buffer): boolean {
  const starts = (bytes: number[]) => bytes.every((b, i) => content[i] === b);
  switch (mediaType) {
    case 'application/pdf':
      return content.subarray(0, 5).toString('latin1') === '%PDF-';
    case 'image/png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return starts([0xff, 0xd8, 0xff]);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return starts([0x50, 0x4b, 0x03, 0x04]);
    case 'text/plain':
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(content);
        return !content.includes(0);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

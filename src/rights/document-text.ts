import { wordText } from '../platform/documents/word-text.js';
import { openPdf } from '../platform/documents/open-pdf.js';

/**
 * The information in a document, for a subject access bundle (issue 12
 * item 2): a response gives the information itself, not a list of files.
 * Text is taken from the document so the reviewer can redact it like a note:
 *
 * - PDF: pdfjs-dist (Mozilla's PDF.js, the reader in Firefox), page by page;
 *   a PDF whose pages are pictures (a scan) yields no text.
 * - Word (.docx): mammoth, which reads the document's text as written.
 * - Plain text: decoded as UTF-8 (Windows-1252 when it is not UTF-8).
 * - Images (PNG, JPEG): no text is read. OCR (tesseract.js) would need its
 *   language data fetched at run time or vendored outside npm, and a
 *   misread name is a redaction missed; so the image itself is reviewed.
 *
 * `note` says, in words for the bundle, what could not be converted.
 */
export interface DocumentText {
  text: string;
  note: string | null;
  /** The original can go in the bundle as it is when nothing in it is redacted. */
  original: 'pdf' | 'image' | 'none';
}

const SCANNED_NOTE =
  'This PDF holds no text that can be read by machine (it may be a scan): the reviewer read the original, and it is included only if disclosed in full.';
const IMAGE_NOTE =
  'This is an image: text in it is not read by machine. It is included as it is if disclosed in full; otherwise it is withheld with the reason given.';

export async function extractDocumentText(
  mediaType: string,
  bytes: Uint8Array,
): Promise<DocumentText> {
  try {
    switch (mediaType) {
      case 'application/pdf': {
        const text = await pdfText(bytes);
        return { text, note: text.trim() ? null : SCANNED_NOTE, original: 'pdf' };
      }
      case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
        const value = await wordText(bytes);
        return { text: tidy(value), note: null, original: 'none' };
      }
      case 'text/plain':
        return { text: tidy(decodeText(bytes)), note: null, original: 'none' };
      case 'image/png':
      case 'image/jpeg':
        return { text: '', note: IMAGE_NOTE, original: 'image' };
      default:
        return unreadable('Safekeep cannot read this kind of file');
    }
  } catch {
    // A damaged or encrypted file: the reviewer opens it and decides.
    return unreadable('The file could not be read (it may be damaged or password-protected)');
  }
}

function unreadable(why: string): DocumentText {
  return {
    text: '',
    note: `${why}: the reviewer read the original, and its text is not in this response.`,
    original: 'none',
  };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Line ends as \n, no trailing spaces, at most one blank line in a row. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await openPdf(bytes);
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let line = '';
      const lines: string[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      pages.push(lines.join('\n'));
    }
    return tidy(pages.map((p, i) => (pdf.numPages > 1 ? `Page ${i + 1}\n${p}` : p)).join('\n\n'));
  } finally {
    await pdf.destroy();
  }
}

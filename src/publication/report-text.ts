import { wordText } from '../platform/documents/word-text.js';
import { openPdf } from '../platform/documents/open-pdf.js';

/**
 * A review's report as paragraphs of text, from Word, PDF or plain text,
 * for the redaction engine. Paragraphs matter: a chronology entry or a
 * finding is one unit for the reviewer, and a name wrapped across two lines
 * of a PDF must come back as one line to be found.
 *
 * - Word (.docx): mammoth (already used to read documents for subject
 *   access), which gives each paragraph of the document, tables cell by cell.
 * - PDF: pdfjs-dist (Mozilla's PDF.js, also already used), with paragraphs
 *   rebuilt from the layout: a line starts a new paragraph when the gap
 *   above it is clearly larger than the line spacing, and lines within a
 *   paragraph are joined (a line ending in a hyphen without a space).
 *   Page numbers alone on a line are dropped; a paragraph that runs over a
 *   page break is joined when the page ended mid-sentence. A scanned PDF
 *   gives no text, and says so.
 * - Plain text: paragraphs are separated by blank lines.
 */
export interface ReportText {
  paragraphs: string[];
  /** The paragraphs joined by blank lines: what is redacted. */
  text: string;
  /** Why some or all of the text could not be read, in words for the reviewer. */
  note: string | null;
}

export const WORD_MEDIA_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export async function extractReportText(mediaType: string, bytes: Uint8Array): Promise<ReportText> {
  try {
    switch (mediaType) {
      case 'application/pdf':
        return result(
          await pdfParagraphs(bytes),
          'This PDF holds no text that can be read by machine (it may be a scan)',
        );
      case WORD_MEDIA_TYPE: {
        const value = await wordText(bytes);
        return result(blocks(value), 'This Word document holds no text');
      }
      case 'text/plain':
        return result(
          blocks(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')),
          'This file is empty',
        );
      default:
        return {
          paragraphs: [],
          text: '',
          note: 'Safekeep reads reports in Word (.docx), PDF or plain text only',
        };
    }
  } catch {
    return {
      paragraphs: [],
      text: '',
      note: 'The file could not be read (it may be damaged or password-protected)',
    };
  }
}

function result(paragraphs: string[], emptyNote: string): ReportText {
  return { paragraphs, text: paragraphs.join('\n\n'), note: paragraphs.length ? null : emptyNote };
}

/** Paragraphs separated by blank lines, each on one line. */
function blocks(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .replace(/[ \t]*\n[ \t]*/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

interface Line {
  text: string;
  /** Baseline, in PDF units from the bottom of the page. */
  y: number;
  height: number;
}

const PAGE_NUMBER = /^(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?$/i;

async function pdfParagraphs(bytes: Uint8Array): Promise<string[]> {
  const pdf = await openPdf(bytes);
  try {
    const paragraphs: string[] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const lines: Line[] = [];
      let current: Line | null = null;
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const y = item.transform[5] ?? 0;
        current ??= { text: '', y, height: item.height };
        current.text += item.str;
        current.height = Math.max(current.height, item.height);
        if (item.hasEOL) {
          lines.push(current);
          current = null;
        }
      }
      if (current) lines.push(current);
      const pageParagraphs = paragraphsOf(
        lines.filter((l) => l.text.trim() && !PAGE_NUMBER.test(l.text.trim())),
      );
      const [first, ...rest] = pageParagraphs;
      const previous = paragraphs[paragraphs.length - 1];
      // A paragraph that ran over the page break: the last page ended mid-sentence.
      if (first !== undefined && previous !== undefined && !/[.!?:"”)]$/.test(previous)) {
        paragraphs[paragraphs.length - 1] = joinLines(previous, first);
        paragraphs.push(...rest);
      } else paragraphs.push(...pageParagraphs);
    }
    return paragraphs;
  } finally {
    await pdf.destroy();
  }
}

function joinLines(before: string, after: string): string {
  const a = before.trimEnd();
  const b = after.trimStart();
  // "Smith-" at a line end then "Jones": a hyphenated word kept whole.
  return /\p{L}-$/u.test(a) ? a + b : `${a} ${b}`;
}

/** Lines grouped into paragraphs by the gaps between them. */
function paragraphsOf(lines: Line[]): string[] {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = (lines[i - 1]?.y ?? 0) - (lines[i]?.y ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  // The usual line spacing: the smaller gaps, where there are enough to
  // tell; otherwise the font's height with ordinary leading.
  const sorted = [...gaps].sort((a, b) => a - b);
  const typicalHeight = Math.max(...lines.map((l) => l.height), 1);
  const spacing =
    sorted.length >= 3 ? (sorted[Math.floor(sorted.length / 4)] ?? 0) : typicalHeight * 1.2;
  const paragraphs: string[] = [];
  let paragraph = '';
  let previous: Line | undefined;
  for (const line of lines) {
    const gap = previous ? previous.y - line.y : 0;
    const newParagraph = previous !== undefined && (gap > spacing * 1.4 || gap < 0);
    if (newParagraph && paragraph) {
      paragraphs.push(paragraph.trim());
      paragraph = '';
    }
    paragraph = paragraph ? joinLines(paragraph, line.text) : line.text.trim();
    previous = line;
  }
  if (paragraph.trim()) paragraphs.push(paragraph.trim());
  return paragraphs.map((p) => p.replace(/\s+/g, ' '));
}

/**
 * The subject access bundle (issue 5): a PDF with the redactions burnt in,
 * and the same data as JSON, with the Art 15 supplementary information.
 *
 * Redacted text never reaches this module's output: items arrive as
 * segments (redaction.ts), where a redacted span is only its reason code.
 * The PDF is laid out here word by word, and each span is drawn as a black
 * box reading "[redacted: <code>]", so no text layer, annotation or
 * metadata can carry what was removed.
 */
import { newPdf } from '../platform/documents/new-pdf.js';
import { groundOf, NCND_STATEMENT } from './exemptions.js';
import { segments, type Segment, type Span } from './redaction.js';
import type { SupplementaryInformation } from './supplementary.js';
import type { ReviewDecision, ReviewItemKind } from './tables.js';

export interface BundleItem {
  kind: ReviewItemKind;
  title: string;
  date: string | null;
  decision: ReviewDecision;
  segments: Segment[];
  /** What the person disputes, or their statement, attached to this record or note (Art 16). */
  annotations: BundleAnnotation[];
  /** A document's description, and what could not be read from it. */
  note: string | null;
  /** A document disclosed in full, as it is held (an image, or a PDF). */
  original: DocumentOriginal | null;
}

export interface DocumentOriginal {
  filename: string;
  mediaType: 'application/pdf' | 'image/png' | 'image/jpeg';
  content: Buffer;
}

/** A rights annotation (rectification.ts), sent with the item it is attached to. */
export interface BundleAnnotation {
  label: string;
  addedOn: string;
  text: string;
}

export interface Bundle {
  requestId: string;
  controller: string;
  subjectName: string;
  receivedOn: string;
  generatedOn: string;
  items: BundleItem[];
  /** Grounds relied on to withhold whole items, with how many (Art 12(4): say why). */
  withheld: { ground: string; reference: string; label: string; items: number }[];
  /** Grounds relied on for redactions within items. */
  redactionGrounds: { ground: string; reference: string; label: string }[];
  /** The neither-confirm-nor-deny statement, when the response is one (review.ts NCND_STATEMENT). */
  neitherConfirmNorDeny: string | null;
  supplementary: SupplementaryInformation;
}

export interface ReviewedItem {
  kind: ReviewItemKind;
  title: string;
  item_date: string | null;
  body: string;
  decision: ReviewDecision | null;
  ground: string | null;
  spans: Span[];
  annotations?: BundleAnnotation[];
  source_note?: string | null;
  /** The document as held; it goes in only when the item is disclosed in full. */
  original?: DocumentOriginal | null;
}

/** A neither-confirm-nor-deny response (rights_ncnd): the exemption whose withheld items leave no trace. */
export interface NcndChoice {
  ground: string;
}

/**
 * Assembles the bundle from reviewed items: disclosed and redacted items go
 * in, withheld ones are counted — except, in a neither-confirm-nor-deny
 * response (`ncnd`, the choice the second person approved), those withheld
 * on its ground, which leave no trace at all.
 */
export function assembleBundle(
  base: Omit<Bundle, 'items' | 'withheld' | 'redactionGrounds' | 'neitherConfirmNorDeny'>,
  reviewed: readonly ReviewedItem[],
  ncnd: NcndChoice | null,
): Bundle {
  const items: BundleItem[] = [];
  const withheld = new Map<string, number>();
  const redactionCodes = new Set<string>();
  for (const item of reviewed) {
    if (item.decision === null) throw new Error('Every item needs a decision before the bundle');
    if (ncnd && item.decision === 'withhold' && item.ground === ncnd.ground) continue;
    if (item.decision === 'withhold') {
      const ground = item.ground ?? 'unknown';
      withheld.set(ground, (withheld.get(ground) ?? 0) + 1);
      continue;
    }
    const spans = item.decision === 'redact' ? item.spans : [];
    for (const s of spans) redactionCodes.add(s.ground);
    items.push({
      kind: item.kind,
      title: item.title,
      date: item.item_date,
      decision: item.decision,
      segments: segments(item.body, spans),
      annotations: item.annotations ?? [],
      note: item.source_note ?? null,
      // Redacted documents go as their text with the boxes burnt in; the
      // original only when nothing in it is redacted.
      original: item.decision === 'disclose' ? (item.original ?? null) : null,
    });
  }
  const describe = (code: string) => {
    const g = groundOf(code);
    return { ground: code, reference: g?.reference ?? code, label: g?.label ?? code };
  };
  return {
    ...base,
    items,
    withheld: [...withheld].map(([code, count]) => ({ ...describe(code), items: count })),
    redactionGrounds: [...redactionCodes].sort().map(describe),
    neitherConfirmNorDeny: ncnd !== null ? NCND_STATEMENT : null,
  };
}

/** The JSON form: each item's text with "[redacted: <code>]" in place of each span. */
export function bundleJson(bundle: Bundle) {
  return {
    format: 'safekeep-subject-access-bundle/1',
    requestId: bundle.requestId,
    controller: bundle.controller,
    subject: bundle.subjectName,
    receivedOn: bundle.receivedOn,
    generatedOn: bundle.generatedOn,
    items: bundle.items.map((item) => ({
      kind: item.kind,
      title: item.title,
      date: item.date,
      decision: item.decision,
      text: item.segments
        .map((s) => (s.kind === 'text' ? s.text : `[redacted: ${s.ground}]`))
        .join(''),
      redactions: item.segments.flatMap((s) => (s.kind === 'redacted' ? [s.ground] : [])),
      annotations: item.annotations,
      ...(item.note ? { note: item.note } : {}),
      ...(item.original
        ? {
            original: {
              filename: item.original.filename,
              mediaType: item.original.mediaType,
              base64: item.original.content.toString('base64'),
            },
          }
        : {}),
    })),
    withheld: bundle.withheld,
    redactionGrounds: bundle.redactionGrounds,
    ...(bundle.neitherConfirmNorDeny
      ? { neitherConfirmNorDeny: bundle.neitherConfirmNorDeny }
      : {}),
    supplementaryInformation: bundle.supplementary,
  };
}

const MARGIN = 56;
const FONT_SIZE = 10;
const LINE = 14;

/** Writes segments as wrapped lines from the current position, boxes for redactions. */
function writeSegments(doc: PDFKit.PDFDocument, parts: readonly Segment[]): void {
  const left = MARGIN;
  const right = doc.page.width - MARGIN;
  const bottom = doc.page.height - MARGIN;
  let x = left;
  let y = doc.y;
  let line = '';
  let lineX = left;
  doc.font('Helvetica').fontSize(FONT_SIZE).fillColor('black');

  const flush = () => {
    if (line) doc.text(line, lineX, y, { lineBreak: false });
    line = '';
    lineX = x;
  };
  const newLine = () => {
    flush();
    x = left;
    lineX = left;
    y += LINE;
    if (y + LINE > bottom) {
      doc.addPage();
      doc.font('Helvetica').fontSize(FONT_SIZE).fillColor('black');
      y = MARGIN;
    }
  };
  const word = (w: string) => {
    const width = doc.widthOfString(w);
    if (x + width > right && x > left) {
      newLine();
      if (/^\s+$/.test(w)) return; // no spaces at the start of a line
    }
    // A word longer than a whole line is broken by characters.
    if (width > right - left) {
      for (const ch of w) word(ch);
      return;
    }
    if (line === '') lineX = x;
    line += w;
    x += width;
  };

  for (const part of parts) {
    if (part.kind === 'redacted') {
      const label = `[redacted: ${part.ground}]`;
      const width = doc.widthOfString(label) + 6;
      if (x + width > right && x > left) newLine();
      flush();
      doc.save();
      doc.rect(x, y - 2, width, LINE).fill('black');
      doc.fillColor('white').text(label, x + 3, y, { lineBreak: false });
      doc.restore();
      doc.fillColor('black');
      x += width;
      lineX = x;
      continue;
    }
    const paragraphs = part.text.split(/\r?\n/);
    paragraphs.forEach((paragraph, i) => {
      if (i > 0) newLine();
      for (const token of paragraph.split(/(\s+)/)) if (token) word(token);
    });
  }
  flush();
  doc.x = left;
  doc.y = y + LINE + 4;
}

function heading(doc: PDFKit.PDFDocument, text: string, size: number): void {
  if (doc.y + size * 3 > doc.page.height - MARGIN) doc.addPage();
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .fillColor('black')
    .text(text, MARGIN, doc.y, { width: doc.page.width - MARGIN * 2 });
  doc.moveDown(0.3);
}

function paragraph(doc: PDFKit.PDFDocument, text: string): void {
  writeSegments(doc, [{ kind: 'text', text }]);
}

/** The PDF: a cover, every disclosed item (redactions burnt in), what was withheld, and the Art 15 information. */
export async function bundlePdf(bundle: Bundle): Promise<Buffer> {
  const doc = await newPdf({
    size: 'A4',
    margin: MARGIN,
    info: { Title: 'Subject access response', Producer: 'Safekeep', Creator: 'Safekeep' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  heading(doc, 'Your subject access response', 18);
  paragraph(
    doc,
    `${bundle.controller}: the information we hold about ${bundle.subjectName}, in answer to the request we received on ${bundle.receivedOn}. Prepared on ${bundle.generatedOn}.`,
  );
  paragraph(
    doc,
    'Where you see a black box, we have removed words. The box gives the reason code; the reasons are explained at the end of this document.',
  );

  heading(doc, `The information (${bundle.items.length} items)`, 14);
  for (const item of bundle.items) {
    heading(doc, `${item.date ? `${item.date} — ` : ''}${item.title}`, 11);
    if (item.note) paragraph(doc, item.note);
    writeSegments(doc, item.segments);
    if (item.original?.mediaType === 'image/png' || item.original?.mediaType === 'image/jpeg') {
      const height = 360;
      if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
      doc.image(item.original.content, MARGIN, doc.y, {
        fit: [doc.page.width - MARGIN * 2, height],
      });
      doc.y += height + 8;
    } else if (item.original) {
      paragraph(
        doc,
        `The original ${item.original.filename}, disclosed in full, is also in the response data (JSON).`,
      );
    }
    for (const a of item.annotations) paragraph(doc, `${a.label} (${a.addedOn}): ${a.text}`);
  }

  heading(doc, 'What we removed or withheld, and why', 14);
  if (bundle.redactionGrounds.length === 0 && bundle.withheld.length === 0) {
    paragraph(doc, 'Nothing was removed or withheld.');
  }
  for (const g of bundle.redactionGrounds) {
    paragraph(doc, `${g.ground}: words removed under ${g.reference} — ${g.label}.`);
  }
  for (const g of bundle.withheld) {
    paragraph(doc, `${g.items} item(s) withheld under ${g.reference} — ${g.label}.`);
  }
  if (bundle.neitherConfirmNorDeny) {
    heading(doc, 'Other information', 14);
    paragraph(doc, bundle.neitherConfirmNorDeny);
  }

  const s = bundle.supplementary;
  heading(doc, 'Information about how we use your data (UK GDPR Article 15)', 14);
  paragraph(
    doc,
    `${s.controller} holds this information.` +
      (s.noticeLastUpdated ? ` Our privacy notice was last updated: ${s.noticeLastUpdated}.` : ''),
  );
  heading(doc, 'Why we hold it', 11);
  for (const p of s.purposes) {
    paragraph(doc, `${p.name}: ${p.purpose} Lawful basis: ${p.lawfulBases.join(', ')}.`);
  }
  heading(doc, 'The kinds of information', 11);
  for (const c of s.categories) {
    paragraph(
      doc,
      `${c.name}${c.specialCategory ? ' (includes special category information)' : ''}${c.criminalOffence ? ' (includes criminal offence information)' : ''}`,
    );
  }
  heading(doc, 'Who we share it with', 11);
  paragraph(doc, s.recipients.note);
  if (s.recipients.names.length) {
    paragraph(doc, `Our privacy notice names: ${s.recipients.names.join('; ')}.`);
  }
  if (s.recipients.disclosures.length === 0) {
    paragraph(doc, 'We have not shared the information in this response with anyone.');
  }
  for (const d of s.recipients.disclosures) {
    paragraph(
      doc,
      `${d.on}: shared with ${d.recipient}. Why: ${d.purpose}. What: ${d.what.join('; ')}. ` +
        `Lawful basis: ${d.lawfulBasis}.` +
        (d.agreement ? ` Under the information sharing agreement ${d.agreement}.` : ''),
    );
  }
  heading(doc, 'How long we keep it', 11);
  for (const r of s.retention) paragraph(doc, `${r.name}: ${r.period}`);
  heading(doc, 'Your rights', 11);
  for (const r of s.rights) paragraph(doc, `${r.right} (${r.article} UK GDPR)`);
  paragraph(doc, `To use these rights: ${s.contacts.exercisingRights}.`);
  paragraph(doc, `Our data protection officer: ${s.contacts.dataProtectionOfficer}.`);
  paragraph(doc, `To complain to us: ${s.contacts.complaints}.`);
  paragraph(
    doc,
    `You have the right to complain to the ${s.complaint.body}: ${s.complaint.website}, telephone ${s.complaint.telephone}.`,
  );
  heading(doc, 'Where the information came from', 11);
  paragraph(doc, s.source);
  heading(doc, 'Automated decisions', 11);
  paragraph(doc, s.automatedDecisions);

  doc.end();
  return done;
}

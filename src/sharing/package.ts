import { newPdf } from '../platform/documents/new-pdf.js';

/**
 * A disclosure package for a recipient outside Safekeep: a PDF whose every
 * page carries the "Shared with … on … for …" mark, with the same content as
 * JSON embedded in it (and the shared documents attached), so a single
 * download carries both and a printed page still says where it came from.
 */
export interface PackageContent {
  disclosureId: string;
  mark: string;
  from: string;
  recipient: string;
  purpose: string;
  lawfulBasis: string;
  specialCondition: string | null;
  agreement: string | null;
  consent: string;
  justification: string | null;
  sharedOn: string;
  records: {
    id: string;
    category: string;
    openedOn: string;
    closedOn: string | null;
    /** The record itself when it was shared, or only its shared fields; else null. */
    summary: {
      people: { name: string; role: string; dateOfBirth: string | null }[];
      facts: Record<string, unknown>;
      detail: Record<string, unknown>;
    } | null;
    notes: { id: string; occurredOn: string; kind: string; author: string; text: string }[];
    documents: {
      id: string;
      filename: string;
      mediaType: string;
      sizeBytes: number;
      content: Buffer;
    }[];
  }[];
}

export function packageJson(content: PackageContent): string {
  return JSON.stringify(
    {
      ...content,
      records: content.records.map((r) => ({
        ...r,
        documents: r.documents.map(({ content: bytes, ...d }) => ({
          ...d,
          contentBase64: bytes.toString('base64'),
        })),
      })),
    },
    null,
    2,
  );
}

export async function buildPackagePdf(content: PackageContent): Promise<Buffer> {
  const doc = await newPdf({
    size: 'A4',
    margins: { top: 80, bottom: 80, left: 56, right: 56 },
    bufferPages: true,
    info: { Title: `Disclosure ${content.disclosureId}`, Subject: content.mark },
  });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    const heading = (text: string, size = 14) => {
      doc.moveDown(0.5).font('Helvetica-Bold').fontSize(size).text(text).font('Helvetica');
      doc.fontSize(10);
    };
    const line = (label: string, value: string) => {
      doc.font('Helvetica-Bold').text(`${label}: `, { continued: true });
      doc.font('Helvetica').text(value);
    };

    doc.fontSize(18).font('Helvetica-Bold').text('Disclosure of personal information');
    doc.fontSize(10).font('Helvetica');
    line('From', content.from);
    line('To', content.recipient);
    line('Purpose', content.purpose);
    line(
      'Lawful basis',
      content.specialCondition
        ? `${content.lawfulBasis}; ${content.specialCondition}`
        : content.lawfulBasis,
    );
    line('Agreement', content.agreement ?? 'Outside any agreement (approved by a second person)');
    line('Consent', content.consent);
    if (content.justification) line('Justification', content.justification);
    line('Reference', content.disclosureId);
    doc
      .moveDown()
      .text(
        'Use this information only for the purpose above. Do not pass it on without the agreement of the organisation that shared it. The same content is attached to this file as disclosure.json.',
      );

    for (const record of content.records) {
      heading(
        `${record.category} (opened ${record.openedOn}${record.closedOn ? `, closed ${record.closedOn}` : ''})`,
      );
      if (record.summary) {
        for (const person of record.summary.people) {
          line(
            person.role,
            `${person.name}${person.dateOfBirth ? `, born ${person.dateOfBirth}` : ''}`,
          );
        }
        for (const [key, value] of Object.entries({
          ...record.summary.facts,
          ...record.summary.detail,
        })) {
          if (value === null || value === undefined || value === '') continue;
          line(key, typeof value === 'string' ? value : JSON.stringify(value));
        }
      }
      for (const note of record.notes) {
        heading(`${note.kind} on ${note.occurredOn} by ${note.author}`, 11);
        doc.text(note.text);
      }
      if (record.documents.length) {
        heading('Documents (attached to this file)', 11);
        for (const d of record.documents) {
          doc.text(`${d.filename} (${d.mediaType}, ${Math.ceil(d.sizeBytes / 1024)} KB)`);
          doc.file(d.content, { name: `${d.id}-${d.filename}`, type: d.mediaType });
        }
      }
    }
    doc.file(Buffer.from(packageJson(content)), {
      name: 'disclosure.json',
      type: 'application/json',
      description: content.mark,
    });

    // The mark on every page, top and bottom, once the pages are known.
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const { margins } = doc.page;
      const bottom = margins.bottom;
      doc.page.margins.bottom = 0;
      const width = doc.page.width - margins.left - margins.right;
      doc.font('Helvetica-Bold').fontSize(9).fillColor('#b10e1e');
      // Wraps rather than cuts: the whole mark is on the page.
      doc.text(content.mark, margins.left, 24, { width, height: margins.top - 28 });
      doc.text(
        `Page ${i - range.start + 1} of ${range.count} · disclosure ${content.disclosureId}`,
        margins.left,
        doc.page.height - 48,
        { width, lineBreak: false },
      );
      doc.fillColor('black').font('Helvetica').fontSize(10);
      doc.page.margins.bottom = bottom;
    }
    doc.end();
  });
}

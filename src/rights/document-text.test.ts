import { describe, expect, it } from 'vitest';
import { makeDocx, makePdf, tinyPng } from '../../test/support/documents.js';
import { extractDocumentText } from './document-text.js';

describe('the text of a document, for a subject access bundle', () => {
  it('reads a PDF', async () => {
    const pdf = await makePdf([
      'Assessment of Rowan Fairweather.',
      'The neighbour Pat Example called.',
    ]);
    const result = await extractDocumentText('application/pdf', pdf);
    expect(result.text).toContain('Assessment of Rowan Fairweather.');
    expect(result.text).toContain('The neighbour Pat Example called.');
    expect(result.note).toBeNull();
    expect(result.original).toBe('pdf');
  });

  it('reads a Word document', async () => {
    const docx = await makeDocx(['Plan for Rowan.', 'Reviewed with the family.']);
    const result = await extractDocumentText(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      docx,
    );
    expect(result.text).toBe('Plan for Rowan.\n\nReviewed with the family.');
    expect(result.note).toBeNull();
  });

  it('reads plain text in UTF-8 or Windows-1252', async () => {
    expect((await extractDocumentText('text/plain', Buffer.from('Café visit\r\n'))).text).toBe(
      'Café visit',
    );
    expect(
      (await extractDocumentText('text/plain', Buffer.from([0x43, 0x61, 0x66, 0xe9]))).text,
    ).toBe('Café');
  });

  it('says why an image or a damaged file has no text', async () => {
    const image = await extractDocumentText('image/png', tinyPng);
    expect(image.text).toBe('');
    expect(image.original).toBe('image');
    expect(image.note).toMatch(/image/);
    const broken = await extractDocumentText('application/pdf', Buffer.from('not a pdf'));
    expect(broken.text).toBe('');
    expect(broken.note).toMatch(/could not be read/);
  });
});

/**
 * A new pdfkit document, with pdfkit (and fontkit beneath it) loaded on the
 * first PDF written rather than when the app starts: most processes — and
 * every test file that builds the app — never write one, and loading it
 * costs a quarter of a second or more each time.
 */
export async function newPdf(options: PDFKit.PDFDocumentOptions): Promise<PDFKit.PDFDocument> {
  const { default: PDFDocument } = await import('pdfkit');
  return new PDFDocument(options);
}

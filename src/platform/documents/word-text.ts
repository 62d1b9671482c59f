/**
 * The text of a Word (.docx) document, as mammoth reads it: paragraphs as
 * written, separated by blank lines. mammoth (and the zip reader beneath it)
 * is loaded on the first document read rather than when the app starts.
 */
export async function wordText(bytes: Uint8Array): Promise<string> {
  const { default: mammoth } = await import('mammoth');
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value;
}

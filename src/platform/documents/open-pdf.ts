import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A PDF opened by PDF.js for reading its text, the same way everywhere
 * (subject access documents, practice-review reports): the bundled standard
 * fonts, no system fonts, no eval, and quiet — PDF.js warns on stdout about
 * damaged files, which is noise in the server's log. Loaded on first use.
 */
export async function openPdf(bytes: Uint8Array) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl =
    join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
  return getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    standardFontDataUrl,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

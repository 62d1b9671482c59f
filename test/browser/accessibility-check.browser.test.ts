import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_TIMEOUT, Tab, launchBrowser } from './browser.js';

/**
 * Every browser test leans on Tab's axe check to find accessibility faults,
 * so the check itself is tested: it must fail on a page that has one, under
 * the same strict Content Security Policy as Safekeep's pages.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
const page = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>Synthetic page</title></head>` +
  `<body><main><h1>Synthetic page</h1>${body}</main></body></html>`;
const pages: Record<string, string> = {
  '/clean': page('<p>Nothing wrong here.</p>'),
  '/unlabelled-field': page('<form><input type="text" name="surname"></form>'),
  '/image-without-text': page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
};

let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((request, response) => {
    const body = pages[request.url ?? ''];
    response.writeHead(body ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
    });
    response.end(body ?? page('<p>Not found</p>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the axe check every browser test relies on', { timeout: JOURNEY_TIMEOUT }, () => {
  it('passes a clean page and fails pages with a fault, naming the rule', async () => {
    const tab = await Tab.open(browser, baseUrl);
    try {
      // The violations the check reported: the assertion's actual value.
      const violations = (path: string) =>
        tab.visit(path).then(
          () => [],
          (error: { actual?: unknown }) => error.actual ?? [String(error)],
        );
      expect(await violations('/clean')).toEqual([]);
      expect(await violations('/unlabelled-field')).toEqual([
        expect.stringMatching(/^label \(critical\): Form elements must have labels/),
      ]);
      expect(await violations('/image-without-text')).toEqual([
        expect.stringMatching(/^image-alt \(critical\)/),
      ]);
    } finally {
      await tab.close();
    }
  });
});

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_MATCH_THRESHOLD, DEFAULT_THRESHOLD, linkPeople } from './link.js';
import { readPersonInput, RecordError, type PersonInput } from './record.js';

/**
 * `safekeep people link`: the matcher's contract for measuring it from
 * outside (issue 15). JSON Lines in, one person record a line; one line out
 * per candidate pair at or above --threshold, then a summary line. Lines it
 * cannot read are answered {"line": N, "error"} and the run goes on. No
 * database is opened: nothing here imports one.
 */
export function registerLinkCommands(program: Command): void {
  // Another part of the CLI may have made the `people` group already.
  const people =
    program.commands.find((c) => c.name() === 'people') ??
    program.command('people').description('people: matching records of one person');
  people
    .command('link')
    .description(
      'read person records as JSON Lines on stdin ({"id","source","givenName","familyName","otherNames",' +
        '"dateOfBirth","sex","address":{…},"identifiers":{…}}); with more than one source, link across ' +
        'sources; with one, find duplicates within it. Write {"a","b","probability","match"} per ' +
        'candidate pair at or above --threshold, then {"summary":{…}}. Needs no database.',
    )
    .option(
      '--threshold <p>',
      'report pairs with at least this probability',
      probability,
      DEFAULT_THRESHOLD,
    )
    .option(
      '--match-threshold <p>',
      'at or above this probability a pair would be linked without a person ("match": true); ' +
        'between the two thresholds a person should review it',
      probability,
      DEFAULT_MATCH_THRESHOLD,
    )
    .option('--explain', 'add each pair\'s "waterfall": every field\'s contribution, in words')
    .action(async (options: { threshold: number; matchThreshold: number; explain?: boolean }) => {
      await runLink(process.stdin, process.stdout, options);
    });
}

function probability(value: string): number {
  const p = Number(value);
  if (value.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new InvalidArgumentError('give a probability from 0 to 1, such as 0.95');
  }
  return p;
}

export async function runLink(
  input: Readable,
  output: Writable,
  options: { threshold: number; matchThreshold: number; explain?: boolean },
): Promise<void> {
  const started = performance.now();
  const writer = lineWriter(output);
  const records: PersonInput[] = [];
  const firstLine = new Map<string, number>();
  let lineNumber = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    const error = readLine(text, lineNumber, records, firstLine);
    if (error) await writer.write({ line: lineNumber, error });
  }
  const result = linkPeople(records, {
    threshold: options.threshold,
    matchThreshold: options.matchThreshold,
    ...(options.explain ? { explain: true } : {}),
  });
  let matches = 0;
  for (const pair of result.pairs) {
    if (pair.match) matches += 1;
    await writer.write(pair);
  }
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  await writer.write({
    summary: { records: records.length, pairsCompared: result.pairsCompared, matches, seconds },
  });
  await writer.end();
}

/** Adds the line's record, or says in words why it cannot. */
function readLine(
  text: string,
  lineNumber: number,
  records: PersonInput[],
  firstLine: Map<string, number>,
): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `line ${lineNumber} is not valid JSON: ${error instanceof Error ? error.message : 'unreadable'}`;
  }
  try {
    const record = readPersonInput(parsed);
    const key = JSON.stringify([record.source ?? '', record.id]);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      return `line ${lineNumber} repeats the id ${JSON.stringify(record.id)} of line ${earlier} in the same source; the first is kept`;
    }
    firstLine.set(key, lineNumber);
    records.push(record);
    return null;
  } catch (error) {
    if (error instanceof RecordError) return `line ${lineNumber}: ${error.message}`;
    throw error;
  }
}

/** JSON lines to a stream in batches, waiting when it is full (large outputs, slow readers). */
function lineWriter(output: Writable) {
  let buffer: string[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const chunk = `${buffer.join('\n')}\n`;
    buffer = [];
    if (!output.write(chunk)) {
      await new Promise<void>((resolve) => output.once('drain', resolve));
    }
  };
  return {
    async write(value: unknown) {
      buffer.push(JSON.stringify(value));
      if (buffer.length >= 500) await flush();
    },
    end: flush,
  };
}

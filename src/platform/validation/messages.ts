/**
 * Plain-English defaults for every zod check that has no message of its own,
 * so that no one sees validator wording ("Invalid input: expected string,
 * received undefined") on a page or in an API answer. A schema's own
 * message always wins; this only fills the gaps. Loaded by text.ts and
 * dates.ts, which every schema that takes input imports.
 */
import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const kinds: Record<string, string> = {
  string: 'Enter text',
  number: 'Enter a number',
  int: 'Enter a whole number',
  boolean: 'Answer yes or no',
  array: 'Give a list',
  object: 'Give the details',
  date: 'Enter a date',
};

const formats: Record<string, string> = {
  email: 'Enter an email address in the correct format, like name@example.org',
  uuid: 'Choose an entry from the list',
  guid: 'Choose an entry from the list',
  url: 'Enter a web address, like https://www.example.org',
  date: 'Enter a real date',
  datetime: 'Enter a real date and time',
  base64: 'The file could not be read',
  regex: 'Enter it in the format shown',
};

export function plainMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null
        ? 'An answer is needed here'
        : (kinds[issue.expected] ?? 'Check this answer');
    case 'too_small': {
      const n = Number(issue.minimum).toLocaleString('en-GB');
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'Enter a value' : `Must be at least ${n} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at least ${n}`;
      return `Must be ${n} or more`;
    }
    case 'too_big': {
      const n = Number(issue.maximum).toLocaleString('en-GB');
      if (issue.origin === 'string') return `Must be ${n} characters or fewer`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose no more than ${n}`;
      return `Must be ${n} or less`;
    }
    case 'invalid_format':
      return formats[issue.format] ?? 'Enter it in the format shown';
    case 'invalid_value':
      // Not "Select …": pages put their own wording on a choice left unmade (people/routes.ts).
      return 'The answer must be one of the options given';
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove or check the spelling`;
    case 'invalid_key':
    case 'invalid_element':
      return 'Check the values given';
    case 'not_multiple_of':
      return 'Enter a whole number';
    default:
      return 'Check this answer';
  }
}

z.config({ customError: plainMessage });

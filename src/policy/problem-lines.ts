/**
 * The line of a policy document a problem is on, so a DPO editing the YAML
 * in a browser can find it (issue 11: "validation errors in plain English
 * with the line"). Problems name a path ("categories[0].retention.rules[3]
 * .period.years"); this finds that place in the text with the `yaml`
 * package's own parse, or the nearest enclosing place that exists (a
 * missing field is reported at the object that lacks it).
 */
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { PolicyProblem } from './schema.js';

function keysOf(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) =>
    m[1] !== undefined ? Number(m[1]) : (m[2] ?? ''),
  );
}

/** Each problem with the line it is on, where the text has one. */
export function withLines(source: string, problems: readonly PolicyProblem[]): PolicyProblem[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  return problems.map((problem) => {
    if (problem.line !== undefined) return problem;
    const lineAt = /^line (\d+)$/.exec(problem.path);
    if (lineAt) return { ...problem, line: Number(lineAt[1]) };
    const keys = keysOf(problem.path);
    for (let n = keys.length; n > 0; n--) {
      const node: unknown = document.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) {
        return { ...problem, line: lineCounter.linePos(node.range[0]).line };
      }
    }
    return problem;
  });
}

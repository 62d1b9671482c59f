/**
 * Reference parameters: m and u as learned, with no prior, from 5,000 x
 * 5,000 synthetic people (`npx tsx src/people/linkage/reference-learn.ts`
 * writes this file). Every run learns its own from its data; these are
 * only where it starts, and what a short list leans on (model.ts,
 * PRIOR_WEIGHT). One row per comparison (comparisons.ts), one number per level.
 */
export const referenceParameters: { m: number[][]; u: number[][] } = {
  m: [
    [0.861, 0.0875, 0.0254, 0.0158, 0.001, 0.001, 0.00645, 0.00377],
    [0.879, 0.0638, 0.00455, 0.001, 0.0224, 0.0301],
    [0.93, 0.0138, 0.0429, 0.012, 0.00177],
    [1, 0.001],
    [0.727, 0.0741, 0.001, 0.198],
    [0.972, 0.0268, 0.00111],
    [1, 0.001, 0.001],
    [0.667, 0.333],
  ],
  u: [
    [0.00386, 0.000858, 0.000587, 0.000828, 0.00176, 0.00000203, 0.000399, 0.992],
    [0.00391, 0.000645, 0.000688, 0.000644, 0.000449, 0.994],
    [0.0000651, 0.0000126, 0.00149, 0.0191, 0.979],
    [0.5, 0.5],
    [0.0000696, 0.000194, 0.00653, 0.993],
    [0.000001, 0.000001, 1],
    [0.000001, 0.000001, 1],
    [0.5, 0.5],
  ],
};

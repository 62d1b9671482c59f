/**
 * Reference parameters: m and u as learned, with no prior, from 5,000 x
 * 5,000 synthetic people (`npx tsx src/people/linkage/reference-learn.ts`
 * writes this file). Every run learns its own from its data; these are
 * only where it starts, and what a short list leans on (model.ts,
 * PRIOR_WEIGHT). One row per comparison (comparisons.ts), one number per level.
 */
export const referenceParameters: { m: number[][]; u: number[][] } = {
  m: [
    [0.861, 0.088, 0.0253, 0.0178, 0.001, 0.001, 0.00453, 0.00352],
    [0.883, 0.0585, 0.00604, 0.00227, 0.0185, 0.0317],
    [0.935, 0.0124, 0.0382, 0.0104, 0.0037, 0.001],
    [1, 0.001],
    [0.728, 0.0722, 0.00151, 0.198],
    [0.979, 0.0214, 0.001],
    [1, 0.001, 0.001],
    [0.667, 0.333],
  ],
  u: [
    [0.00365, 0.000856, 0.000595, 0.000774, 0.00173, 0.00000203, 0.000429, 0.992],
    [0.00397, 0.00065, 0.000688, 0.00058, 0.00043, 0.994],
    [0.0000657, 0.0000209, 0.00144, 0.000171, 0.019, 0.979],
    [0.5, 0.5],
    [0.000111, 0.00018, 0.00651, 0.993],
    [0.000038, 0.000001, 1],
    [0.000399, 0.000001, 1],
    [0.5, 0.5],
  ],
};

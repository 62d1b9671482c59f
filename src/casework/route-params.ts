/** The path parameters and queries casework's pages and API share, checked before a handler runs. */
import { z } from 'zod';
import { categorySlugs } from '../policy/index.js';

export const idParams = z.object({ id: z.string() });
export const documentParams = z.object({ id: z.string(), documentId: z.string() });
export const personParams = z.object({ personId: z.string() });
export const partParams = z.object({ id: z.string(), part: z.string() });
export const itemParams = z.object({
  id: z.string(),
  part: z.string(),
  index: z.coerce.number().int().min(0).max(10_000),
});
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  category: z.enum(categorySlugs).optional(),
});
export const monitoringQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

/**
 * Run before every test file (vitest `setupFiles`). Files share their
 * worker's process and modules (`isolate: false` in vitest.config.ts), so
 * what one file changed in the process is put back here, and each file
 * starts as it would in a fresh one: the shipped organisations' policies in
 * force (a file may add an organisation or apply a policy change), and audit
 * events unsealed (a file may set a sealing key).
 */
import { sealAuditEventsWith } from '../../src/platform/audit/audit-log.js';
import { restoreShippedPolicies } from '../../src/policy/registry.js';

restoreShippedPolicies();
sealAuditEventsWith(null);

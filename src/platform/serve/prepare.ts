import type { Config } from '../../config.js';
import { openDatabase, type DatabaseHandle, type OpenOptions } from '../../db/connection.js';
import { migrateDatabase } from '../../db/setup.js';
import { PolicyVersions } from '../../governance/policy/versions.js';
import { sealAuditEventsWith } from '../audit/audit-log.js';
import { syncReferenceData } from '../reference-data.js';
import { ResearchExtracts } from '../../publication/research/extracts.js';

/**
 * What every command that uses the database does first, once per start:
 * migrate, register the policy versions in force and synchronise the
 * reference data from them. Server workers (serve.ts) skip it: the process
 * that starts them has done it.
 */
export async function prepareDatabase(
  config: Config,
  options: OpenOptions = {},
): Promise<{ handle: DatabaseHandle; applied: string[] }> {
  // Every event this process records is sealed with the checkpoint key.
  sealAuditEventsWith(config.audit.checkpointKey);
  const handle = await openDatabase(config.database, options);
  try {
    const applied = await migrateDatabase(config.database, handle);
    // Organisations added from a policy document join the registry before
    // the reference data is synchronised from it; shipped ones get version 1.
    const policyVersions = new PolicyVersions(handle.db);
    await policyVersions.registerVersionsInForce();
    await syncReferenceData(handle.db);
    await policyVersions.seedShippedVersions();
    // Research extract keys stored in the clear before migration 0060 are
    // sealed now that the secret is known (decision 0040); idempotent.
    await new ResearchExtracts(handle.db, { keys: config.researchKeys }).sealClearKeys();
    return { handle, applied };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

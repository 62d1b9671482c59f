/**
 * What audit events mean, in words, for the pages that show them (a record's
 * access log, access monitoring). The log itself keeps codes; people read
 * these.
 */

const actionWords: Record<string, string> = {
  'record.create': 'Created the record',
  'record.read': 'Opened the record',
  'record.write': 'Tried to change the record',
  'record.update': 'Changed the record',
  'record.rectify': 'Corrected the record (rights request)',
  'record.destroy': 'Destroyed the record (retention)',
  'record.list': 'Saw the record in a list',
  'record.break-glass': 'Used break-glass access',
  'record.access-log.read': 'Looked at who has seen the record',
  'record.history.read': 'Looked at the record’s change history',
  'record-document.add': 'Added a document',
  'record-document.read': 'Opened a document',
  'record-party.add': 'Added a person to the record',
  'record-party.remove': 'Removed a person from the record',
  'record-source.add': 'Added information from another agency',
  'case-note.create': 'Added a note',
  'disclosure.create': 'Asked to share the record',
  'disclosure.prepare': 'Prepared a package to share',
  'disclosure.read': 'Looked at a disclosure',
  'disclosure.revoke': 'Stopped sharing',
  'disclosure.package.download': 'Downloaded a package to share',
  'disclosure.log.read': 'Looked at the disclosure log',
  'disclosure.received.read': 'Opened information shared with them',
};

/** "Opened the record" for 'record.read'; any other code read as words ("Rights request view"). */
export function auditActionWords(action: string): string {
  const known = actionWords[action];
  if (known) return known;
  const words = action.replace(/[.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const purposeWords: Record<string, string> = {
  casework: 'Casework',
  'casework-unallocated': 'Casework on a record not allocated to them',
  governance: 'Governance',
  'break-glass': 'Break-glass (emergency access)',
  'shared-grant': 'Shared with their organisation',
};

/** Why, in words; "Not given" when the event names no purpose. */
export function auditPurposeWords(purpose: string | null): string {
  if (!purpose) return 'Not given';
  return purposeWords[purpose] ?? auditActionWords(purpose);
}

const outcomeWords: Record<string, string> = {
  success: 'Allowed',
  denied: 'Refused',
  failure: 'Failed',
};

export function auditOutcomeWords(outcome: string): string {
  return outcomeWords[outcome] ?? auditActionWords(outcome);
}

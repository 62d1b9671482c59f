/**
 * The confidentiality statement a practitioner accepts before anything about
 * the review is shared with them. Both notices share with "practitioners who
 * have/had involvement with the family and have agreed to contribute to the
 * review (confidentiality is stressed)". Each acknowledgement records the
 * version it was given on, so a changed wording is a new version, never a
 * silent edit of what someone agreed to.
 */
export const confidentialityStatement = {
  version: '2026-11',
  text:
    'What I am told or shown for this practice review is confidential. I will use it only to contribute to the review, ' +
    'keep it secure, not copy it or pass it on, and return or delete it when asked. The review’s report will be anonymised; ' +
    'I will not identify the child, the family or anyone involved outside the review.',
} as const;

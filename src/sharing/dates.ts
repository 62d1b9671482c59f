/** Made once: building an Intl.DateTimeFormat costs far more than using one. */
const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** Calendar days as sharing counts them: the day in London, whole days added in UTC. */
export function londonDay(at: Date): string {
  return londonDate.format(at);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

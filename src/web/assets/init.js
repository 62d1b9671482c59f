// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';
initAll();

// A return being made (src/returns/views/job.njk): ask for the page again
// every few seconds and swap in its status block, so the reader sees the steps
// move and the file appear without the whole page reloading under them.
const job = document.querySelector('[data-job-status="working"]');
const announcement = document.querySelector('[data-job-announcement]');
if (job && announcement) {
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { accept: 'text/html' } });
      if (!response.ok) return setTimeout(poll, 5000);
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const next = page.querySelector('[data-job-status]');
      if (!next) return setTimeout(poll, 5000);
      job.innerHTML = next.innerHTML;
      const status = next.getAttribute('data-job-status') ?? 'working';
      job.setAttribute('data-job-status', status);
      if (status === 'working') return setTimeout(poll, 3000);
      const heading = job.querySelector('h1, .govuk-panel__title');
      document.title = page.title;
      announcement.textContent = heading ? heading.textContent.trim() : '';
    } catch {
      setTimeout(poll, 5000);
    }
  };
  setTimeout(poll, 3000);
}

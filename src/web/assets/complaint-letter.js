// The outcome letter's "Print this letter" button: shown only when this
// script runs (the page works without it: the browser's own print does the same).
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

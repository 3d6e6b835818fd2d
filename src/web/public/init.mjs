// Marks the page as JavaScript-enabled (as GOV.UK Frontend expects) and starts its components.
// An external module, so the Content Security Policy needs no inline script.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
  initAll();
}

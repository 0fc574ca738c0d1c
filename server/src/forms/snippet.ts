/** The honeypot field: hidden from people, so a value in it means a bot filled the form. */
export const HONEYPOT_FIELD = '_gotcha';
/** The page the form was sent from (its URL carries the UTM tags); the script fills it in. */
export const PAGE_FIELD = '_page';
/** When the page showed the form and when it was sent, both by the visitor's clock (ms since 1970). */
export const RENDERED_AT_FIELD = '_rendered_at';
export const SUBMITTED_AT_FIELD = '_submitted_at';

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A plain HTML form posting to `endpoint`: it works without any script (the browser follows the
 * answer: the thank-you page, or a short page saying what was wrong). No token is in it.
 */
export function formSnippetHtml(endpoint: string): string {
  const action = escapeAttribute(endpoint);
  return `<form action="${action}" method="post" data-leadline-form>
  <p><label>Name <input name="name" autocomplete="name" required maxlength="200"></label></p>
  <p><label>E-mail <input name="email" type="email" autocomplete="email" required maxlength="320"></label></p>
  <p><label>Company <input name="company" autocomplete="organization" maxlength="200"></label></p>
  <p><label>Job title <input name="title" autocomplete="organization-title" maxlength="200"></label></p>
  <p><label>Phone <input name="phone" type="tel" autocomplete="tel" maxlength="40"></label></p>
  <p><label>Message <textarea name="message" maxlength="2000"></textarea></label></p>
  <div style="position:absolute;left:-10000px" aria-hidden="true">
    <label>Leave this empty <input name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label>
  </div>
  <p><button type="submit">Send</button></p>
  <p data-leadline-status role="status"></p>
</form>`;
}

/**
 * For sites that submit with fetch: sends the form above as JSON with the page's URL (its UTM tags)
 * and when the page was shown, then says thank you in place (or goes on to the thank-you page).
 */
export function formSnippetScript(endpoint: string): string {
  const selector = JSON.stringify(`form[action="${escapeAttribute(endpoint)}"]`);
  return `<script>
(() => {
  const form = document.querySelector(${selector});
  const status = form.querySelector('[data-leadline-status]');
  const renderedAt = Date.now();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    Object.assign(data, { ${PAGE_FIELD}: location.href, ${RENDERED_AT_FIELD}: renderedAt, ${SUBMITTED_AT_FIELD}: Date.now() });
    const res = await fetch(form.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(data),
    }).catch(() => null);
    const body = res ? await res.json().catch(() => ({})) : {};
    if (res && res.ok && body.thankYouUrl) return location.assign(body.thankYouUrl);
    status.textContent = res && res.ok ? 'Thank you: we will be in touch.' : body.detail || 'Sending failed: please try again.';
    if (res && res.ok) form.reset();
  });
})();
</script>`;
}

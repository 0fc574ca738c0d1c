const escapeHtml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A page with no script and no style: the API's own policy (default-src 'none') allows it as it is. */
function page(status: number, title: string, text: string, back: string | null): Response {
  const link = back ? `\n<p><a href="${escapeHtml(back)}">Back to the form</a></p>` : '';
  const html = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>${link}
</html>
`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** What a visitor sees after a plain form post when the form has no thank-you page of its own. */
export function thankYouPage(back: string | null): Response {
  return page(200, 'Thank you', 'Your message has been sent: we will be in touch.', back);
}

/** A refused plain form post: the status and, in words, what was wrong. */
export function errorPage(status: number, detail: string, back: string | null): Response {
  return page(status, 'Your message was not sent', detail, back);
}

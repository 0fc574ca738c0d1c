/**
 * A compact list of free-mail and disposable domains for the `businessEmail` fit rule. It lives
 * here, not in normalize/, so scoring does not wait on that module; when
 * `normalize/free-mail-domains.ts` lands with a fuller list, this file should be replaced by an
 * import of its `isFreeMailDomain`. Deliberately not exported from the package index, so the two
 * never clash.
 */

/** Large free providers, the regional ones reps meet most. */
const FREE_PROVIDERS = `
  gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.it
  hotmail.es live.com live.co.uk live.fr live.de msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de
  yahoo.it yahoo.es yahoo.co.jp yahoo.com.br yahoo.co.in ymail.com rocketmail.com aol.com icloud.com
  me.com mac.com proton.me protonmail.com protonmail.ch pm.me tutanota.com tuta.io zoho.com
  zohomail.com fastmail.com hey.com mail.com email.com gmx.com gmx.net gmx.de gmx.at gmx.ch web.de
  t-online.de freenet.de posteo.de mailbox.org orange.fr wanadoo.fr free.fr laposte.net sfr.fr
  libero.it virgilio.it tiscali.it seznam.cz wp.pl o2.pl interia.pl onet.pl mail.ru bk.ru inbox.ru
  list.ru yandex.ru yandex.com rambler.ru ukr.net qq.com 163.com 126.com yeah.net sina.com naver.com
  daum.net hanmail.net rediffmail.com btinternet.com sky.com comcast.net verizon.net att.net
  sbcglobal.net bellsouth.net cox.net shaw.ca rogers.com bigpond.com optusnet.com.au uol.com.br
  bol.com.br terra.com.br
`;

/** Disposable inboxes. */
const DISPOSABLE_PROVIDERS = `
  mailinator.com guerrillamail.com guerrillamail.net sharklasers.com grr.la 10minutemail.com
  temp-mail.org tempmail.com tempmail.net tempmailo.com yopmail.com yopmail.fr trashmail.com
  getnada.com dispostable.com maildrop.cc throwawaymail.com fakeinbox.com mintemail.com mailnesia.com
  mohmal.com emailondeck.com spamgourmet.com discard.email burnermail.io mailcatch.com tempr.email
  mytemp.email moakt.com
`;

// A whitespace-separated list keeps the table readable and formatter-proof.
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set(
  `${FREE_PROVIDERS} ${DISPOSABLE_PROVIDERS}`.split(/\s+/).filter((domain) => domain !== ''),
);

/**
 * Whether a domain (or a parent of it, so `eu.mailinator.com` counts) is a free-mail or disposable
 * provider.
 *
 * @example
 * isFreeMailDomain('GMAIL.com');  // true
 * isFreeMailDomain('acme.com');   // false
 */
export function isFreeMailDomain(domain: string): boolean {
  const labels = domain.trim().toLowerCase().replace(/\.$/, '').split('.');
  for (let start = 0; start < labels.length - 1; start++) {
    if (FREE_MAIL_DOMAINS.has(labels.slice(start).join('.'))) return true;
  }
  return false;
}

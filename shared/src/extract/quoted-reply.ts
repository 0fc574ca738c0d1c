/** Where a reply's own text ends and the quoted or forwarded message begins, in many languages. */

const QUOTE_HEADER = /^\s*\*?(from|von|de|da|van|från|od|fra|от)\s?:\s*\S/iu;
/** Header fields of a quoted message, in the languages mail clients write them. */
const QUOTE_FIELD =
  /^\s*\*?(from|von|de|da|van|från|od|fra|от|sent|date|gesendet|datum|envoyé|enviado|inviato|verzonden|skickat|отправлено|дата|to|an|à|para|a|aan|till|кому|subject|betreff|objet|asunto|oggetto|onderwerp|ämne|тема|cc)\s?:/iu;
const WROTE =
  /(wrote|schrieb|a écrit|escribió|ha scritto|schreef|skrev|kirjoitti|napisał|escreveu)\s*:?\s*$/i;
const FORWARD_RULE = /^\s*-{2,}\s*[\p{L} ']{3,40}\s*-{2,}\s*$/u;

/** Where the writer's own text ends: the first line of a quoted reply or forwarded message. */
export function newContentEnd(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (FORWARD_RULE.test(line)) return i;
    if (/^>/.test(line)) return i;
    if (WROTE.test(line) && line.length < 300) {
      return /^(on|am|le|el|il|op|den|w dniu|em)\b/i.test(line) || i === 0
        ? i
        : isWroteContinuation(lines, i);
    }
    // A header block ("From: ... / Sent: ...", or "Date: / Subject: / From:" as Hotmail writes it).
    if (QUOTE_HEADER.test(line) || QUOTE_FIELD.test(line)) {
      let fields = 1;
      for (let j = i + 1; j <= i + 4 && j < lines.length; j++) if (QUOTE_FIELD.test(lines[j]!)) fields++;
      if (fields >= 2 && (QUOTE_HEADER.test(line) || fields >= 3)) return i;
    }
    // "26.06.2014, 14:41, "Alexander L" <abc@example.com>:" and its translations.
    if (line.length < 300 && /\d/.test(line) && /<?[^\s<>]+@[^\s<>]+>?\s*:$/.test(line)) return i;
    if (/^_{5,}$/.test(line)) {
      for (let j = i + 1; j <= i + 2 && j < lines.length; j++) if (QUOTE_HEADER.test(lines[j]!)) return i;
    }
  }
  return lines.length;
}

/** "On Tue, Anna <a@b.c>\nwrote:" is split over two lines by some clients. */
function isWroteContinuation(lines: string[], i: number): number {
  const previous = lines[i - 1]?.trim() ?? '';
  return /^(on|am|le|el|il|op)\b/i.test(previous) ? i - 1 : i;
}

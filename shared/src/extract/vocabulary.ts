/**
 * Words that recognise lines and labels in several UI and mail languages, so no heuristic depends on
 * English text alone.
 */

/**
 * Job-title words (English, German, French, Spanish, Italian, Dutch, Portuguese); the second group also
 * matches at the end of German compounds ("Teamleiterin", "Vertriebsleiter").
 */
export const TITLE_WORDS =
  /\b(ceo|cto|cfo|coo|cmo|cio|cro|vp|svp|evp|avp|founder|co-?founder|owner|partner|president|vice[- ]president|chair(man|woman|person)?|director|head|manager|lead|leader|chief|officer|principal|engineer|developer|architect|designer|analyst|consultant|advisor|adviser|specialist|coordinator|assistant|associate|administrator|executive|supervisor|representative|recruiter|trader|scheduler|scientist|researcher|professor|lecturer|attorney|counsel|lawyer|accountant|controller|treasurer|secretary|editor|writer|producer|strategist|marketer|marketing|sales|account|business development|product|operations|intern|trainee|apprentice|gesch[äa]ftsf[üu]hrer(in)?|leiter(in)?|inhaber(in)?|vertrieb|berater(in)?|entwickler(in)?|ingenieur(in)?|referent(in)?|vorstand|prokurist(in)?|sachbearbeiter(in)?|directeur|directrice|responsable|chef|ing[ée]nieur|commercial|g[ée]rant|fondateur|fondatrice|charg[ée]e? de|directora?|gerente|jefe|jefa|responsable|ingeniera?|fundador|fundadora|asesora?|direttore|direttrice|responsabile|fondatore|consulente|directeur|eigenaar|adviseur|diretora?|fundador)\b|(leiter|leiterin|f(ü|ue)hrer|f(ü|ue)hrerin|berater|beraterin|referent|referentin|ingenieur|ingenieurin|entwickler|entwicklerin|manager|managerin|direktor|direktorin|vorstand|beauftragte[r]?)\b/i;

/** Company-name endings. */
export const COMPANY_SUFFIX =
  /(\b(inc|llc|l\.l\.c|ltd|limited|corp|corporation|company|co|gmbh|mbh|ag|kg|se|ohg|ug|plc|llp|lp|s\.?a\.?s?|s\.?r\.?l|s\.?l|s\.?p\.?a|b\.?v|n\.?v|oy|ab|as|a\/s|aps|pty|pvt|k\.?k|group|holding|holdings|partners|technologies|solutions|systems|labs|studio|agency|consulting|ventures|capital|bank|worldwide|international|networks)\b\.?)\s*$/i;

/** Closing words that open a sign-off ("Thanks,", "Mit freundlichen Grüßen"). */
export const CLOSING =
  /^(thanks( (again|a lot|so much|and regards|& regards|in advance))?|thank you( (again|very much|so much))?|many thanks|thx|tia|regards|best regards|kind regards|warm regards|warmest regards|best wishes|all the best|best|cheers|sincerely|yours sincerely|sincerely yours|yours truly|yours|respectfully|take care|talk soon|your pal|love|with thanks|mit freundlichen gr(ü|ue)(ß|ss)en|freundliche gr(ü|ue)(ß|ss)e|viele gr(ü|ue)(ß|ss)e|beste gr(ü|ue)(ß|ss)e|liebe gr(ü|ue)(ß|ss)e|sch(ö|oe)ne gr(ü|ue)(ß|ss)e|gru(ß|ss)|gr(ü|ue)(ß|ss)e|lg|mfg|vg|cordialement|bien (à|a) vous|bien cordialement|amiti(é|e)s|merci( beaucoup)?|saludos( cordiales)?|un saludo|atentamente|gracias|cordiali saluti|saluti|distinti saluti|grazie|met vriendelijke groet(en)?|groeten|hartelijke groet|atenciosamente|abra(ç|c)os|obrigad[oa]|med v(ä|a)nlig h(ä|a)lsning|h(ä|a)lsningar|mvh|venlig hilsen|hilsen)/i;

/** Labels of the "experience" section and of "current" in LinkedIn's UI languages. */
export const PRESENT_WORDS =
  /(?<!\p{L})(present|current|now|heute|aktuell|bis heute|aujourd[’']hui|actuel|actualidad|la actualidad|presente|actual|attuale|oggi|heden|nu|o momento|momento|atual|obecnie|dzisiaj|nå|idag|i dag|nykyhetki|現在|至今)(?!\p{L})/iu;

/** Who sent a message, as mail headers write it, and whether a word of a line names them (nicknames too). */

const NICKNAMES: Record<string, string[]> = {
  tom: ['thomas'],
  bill: ['william'],
  will: ['william'],
  billy: ['william'],
  bob: ['robert'],
  rob: ['robert'],
  bobby: ['robert'],
  jim: ['james'],
  jimmy: ['james'],
  mike: ['michael'],
  dave: ['david'],
  kate: ['katherine', 'kathryn', 'catherine'],
  kathy: ['katherine', 'kathryn'],
  cathy: ['catherine'],
  bert: ['albert', 'herbert'],
  jack: ['john'],
  johnny: ['john'],
  dick: ['richard'],
  rick: ['richard'],
  rich: ['richard'],
  ted: ['edward', 'theodore'],
  ed: ['edward', 'edwin', 'edmund'],
  eddie: ['edward'],
  al: ['albert', 'alan', 'allen'],
  andy: ['andrew'],
  drew: ['andrew'],
  liz: ['elizabeth'],
  beth: ['elizabeth'],
  betty: ['elizabeth'],
  sue: ['susan', 'suzanne'],
  jen: ['jennifer'],
  jenny: ['jennifer'],
  peggy: ['margaret'],
  meg: ['margaret'],
  maggie: ['margaret'],
  tony: ['anthony'],
  joe: ['joseph'],
  larry: ['lawrence'],
  sandy: ['sandra'],
  chuck: ['charles'],
  charlie: ['charles'],
  hank: ['henry'],
  harry: ['henry', 'harold'],
  ned: ['edward'],
  nate: ['nathan', 'nathaniel'],
  sasha: ['alexander', 'alexandra'],
  lisa: ['elisabeth', 'elizabeth'],
};

/** Name tokens, initials and address of the sender as mail headers write it ("Ward  Kim S", "Last, First"). */
export interface SenderInfo {
  tokens: string[];
  joined: string[];
  initials: Set<string>;
  email?: string;
}

export function parseSender(sender: string | undefined): SenderInfo {
  const info: SenderInfo = { tokens: [], joined: [], initials: new Set() };
  if (!sender) return info;
  const email = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/.exec(sender)?.[0];
  if (email) info.email = email.toLowerCase();
  const display = sender.replace(/\[mailto:[^\]]*\]|<[^>]*>|"/g, ' ').replace(/@[A-Za-z0-9.-]+/, ' ');
  const words = (display.match(/\p{L}+/gu) ?? []).map((w) => w.toLowerCase());
  const local = email ? ((email.split('@')[0] ?? '').toLowerCase().match(/\p{L}+/gu) ?? []) : [];
  const tokens = [...new Set([...words, ...local])].filter((t) => t.length >= 2);
  info.tokens = tokens;
  const named = words.filter((w) => w.length >= 2);
  for (let i = 0; i < named.length; i++) {
    for (let j = 0; j < named.length; j++) {
      if (i === j) continue;
      info.initials.add(named[i]![0]! + named[j]![0]!);
      info.joined.push(named[i]! + named[j]!);
    }
  }
  return info;
}

export function tokenMatchesSender(token: string, sender: SenderInfo): boolean {
  const t = token.toLowerCase();
  if (t.length < 2) return false;
  for (const s of sender.tokens) {
    if (s === t) return true;
    if (t.length >= 3 && s.length > t.length && s.startsWith(t)) return true;
  }
  return (NICKNAMES[t] ?? []).some((full) => sender.tokens.some((s) => s === full || s.startsWith(full)));
}

/**
 * Prints how well the signature detector does on the Enron/Mailgun corpus:
 *   npx tsx test/corpus/signature-report.ts [--verbose]
 */
import { loadMails, measureSignatures } from './signature-metrics';

const metrics = measureSignatures();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`signature detector on ../shared/corpus/email-signatures`);
console.log(`  signed e-mails:    ${metrics.signed}`);
console.log(`  unsigned e-mails:  ${metrics.unsigned}`);
console.log(
  `  line precision:    ${metrics.precision.toFixed(3)} (${metrics.truePositives} right, ${metrics.falsePositives} wrong)`,
);
console.log(
  `  line recall:       ${metrics.recall.toFixed(3)} (${metrics.falseNegatives} signature lines missed)`,
);
console.log(`  false positives:   ${pct(metrics.falsePositiveRate)} of unsigned e-mails have a line flagged`);

if (process.argv.includes('--verbose')) {
  const bodies = new Map(
    [...loadMails('with-signature'), ...loadMails('without-signature')].map((m) => [m.id + m.sender, m]),
  );
  for (const mistake of metrics.mistakes) {
    const mail =
      [...bodies.values()].find(
        (m) => m.id === mistake.id && (mistake.folder === 'with-signature') === m.truth.length > 0,
      ) ?? [...bodies.values()].find((m) => m.id === mistake.id);
    const lines = mail?.body.split('\n') ?? [];
    console.log(`\n${mistake.folder}/${mistake.id} (sender: ${mail?.sender})`);
    for (const i of mistake.missed) console.log(`  missed: ${JSON.stringify(lines[i])}`);
    for (const i of mistake.extra) console.log(`  extra:  ${JSON.stringify(lines[i])}`);
  }
}

import { describe, expect, it } from 'vitest';
import { collectEntities, currentEmployer, indexIds, parseJsonLd } from './jsonld';

describe('parseJsonLd', () => {
  it('repairs comments, control characters and trailing commas', () => {
    expect(
      parseJsonLd('// x\n{ "@type": "Person", /* y */ "name": "Anna\nMüller", "url": "https://a.b/c", }'),
    ).toEqual([{ '@type': 'Person', name: 'Anna\nMüller', url: 'https://a.b/c' }]);
    expect(parseJsonLd('<!-- c --> [ {"a": [1, 2, ], }, ]')).toEqual([{ a: [1, 2] }]);
    expect(parseJsonLd('{"html": "<!-- kept --> // kept"}')).toEqual([{ html: '<!-- kept --> // kept' }]);
  });

  it('gives [] for what cannot be repaired', () => {
    expect(parseJsonLd('{ this is not json ]]')).toEqual([]);
    expect(parseJsonLd('')).toEqual([]);
    expect(parseJsonLd('null')).toEqual([]);
  });
});

describe('collectEntities', () => {
  it('finds people and organisations in @graph, arrays and nesting, with employers', () => {
    const roots = parseJsonLd(
      JSON.stringify({
        '@context': 'https://schema.org',
        '@graph': [
          {
            '@type': 'Organization',
            '@id': '#org',
            name: 'Acme',
            employee: [{ '@type': 'Person', name: 'Anna' }],
          },
          { '@type': 'Person', name: 'Ben', worksFor: { '@id': '#org' } },
          {
            '@type': 'Article',
            author: { '@type': 'Person', name: 'Cleo' },
            publisher: { '@type': 'Organization', name: 'Press' },
          },
        ],
      }),
    );
    const entities = collectEntities(roots);
    expect(entities.map((e) => [e.kind, e.node.name, e.topLevel])).toEqual([
      ['company', 'Acme', true],
      ['person', 'Anna', false],
      ['person', 'Ben', true],
      ['person', 'Cleo', false],
      ['company', 'Press', false],
    ]);
    expect(entities[1]?.employer?.name).toBe('Acme');
    const ids = indexIds(entities, roots);
    expect(currentEmployer(entities[2]!.node, ids)?.name).toBe('Acme');
  });

  it('takes the current employer: the first worksFor without an end date', () => {
    const person = {
      '@type': 'Person',
      worksFor: [
        {
          '@type': 'Organization',
          name: 'Old Co',
          member: { '@type': 'OrganizationRole', endDate: '2019-08' },
        },
        {
          '@type': 'Organization',
          name: 'New Co',
          member: { '@type': 'OrganizationRole', startDate: '2019-09' },
        },
      ],
    };
    expect(currentEmployer(person, new Map())?.name).toBe('New Co');
  });

  it('stops at its depth limit on 10,000 levels without overflowing', () => {
    let deep: Record<string, unknown> = { '@type': 'Person', name: 'Bottom' };
    for (let i = 0; i < 10_000; i++) deep = { child: deep };
    const entities = collectEntities([{ '@type': 'Person', name: 'Top', knows: deep }]);
    expect(entities.map((e) => e.node.name)).toEqual(['Top']);
  });
});

import { describe, expect, it } from 'vitest';
import { decode, ROLES } from './page-tree.js';

const code = (role: string): number => ROLES.indexOf(role);

describe('decode', () => {
  it('numbers the elements in tree order, as the walk pushed them, and keeps texts and states', () => {
    const decoded = decode(
      [
        [code('heading'), 'Title', 0, { level: 2 }],
        [
          code('list'),
          '',
          [[code('listitem'), '', [[code('link'), 'Home', 0, { url: 'https://a.example/' }]]]],
        ],
        'loose text',
        ['tooltip', 'Hint'],
        [code('iframe'), 'Embedded'],
        [code('textbox'), 'Name', 0, { value: 'x', required: true, focused: true }],
      ],
      3,
    );
    expect(decoded?.nodes).toEqual([
      { role: 'heading', name: 'Title', index: 0, owner: 3, level: 2 },
      {
        role: 'list',
        index: 1,
        owner: 3,
        children: [
          {
            role: 'listitem',
            index: 2,
            owner: 3,
            children: [
              { role: 'link', name: 'Home', index: 3, owner: 3, url: 'https://a.example/' },
            ],
          },
        ],
      },
      { role: 'text', name: 'loose text' },
      { role: 'tooltip', name: 'Hint', index: 4, owner: 3 },
      { role: 'iframe', name: 'Embedded', index: 5, owner: 3 },
      {
        role: 'textbox',
        name: 'Name',
        index: 6,
        owner: 3,
        value: 'x',
        required: true,
        focused: true,
      },
    ]);
    expect([...(decoded?.iframes.keys() ?? [])]).toEqual([5]);
  });

  it.each([
    ['not a list', '"array"'],
    ['a role outside the table', `[[${ROLES.length}, ""]]`],
    ['a name that is not text', `[[${code('button')}, 7]]`],
    ['a state it does not know', `[[${code('button')}, "", 0, {"onclick": true}]]`],
    ['a state named __proto__', `[[${code('button')}, "", 0, {"__proto__": {"level": 1}}]]`],
    ['a state of the wrong type', `[[${code('link')}, "", 0, {"url": 5}]]`],
    ['children that are not a list', `[[${code('list')}, "", {"length": 1}]]`],
    ['an element with extra parts', `[[${code('button')}, "", 0, {}, 1]]`],
    ['a nested node of neither kind', `[[${code('list')}, "", [null]]]`],
  ])('refuses %s, so the walk is taken again as an object', (_, json) => {
    expect(decode(JSON.parse(json), 0)).toBeUndefined();
  });
});

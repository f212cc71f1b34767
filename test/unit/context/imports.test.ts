/**
 * Import parsing per language: the local names each import brings into scope and the module
 * they come from, as written.
 */
import { describe, expect, it } from 'vitest';
import { parseImports } from '../../../server/src/context/imports.ts';

const bindings = (languageId: string, text: string) =>
  parseImports(languageId, text).imports.map((b) => `${b.local}<-${b.spec}:${b.imported}`);

describe('parseImports', () => {
  it.each([
    [
      'typescript',
      `import { a, b as c, type D } from './x.js';\nimport * as ns from "../y";\nimport Def, { e } from './z';\nimport type { T } from './t';`,
      ['a<-./x.js:a', 'c<-./x.js:b', 'D<-./x.js:D', 'ns<-../y:*', 'e<-./z:e', 'Def<-./z:default', 'T<-./t:T'],
    ],
    [
      'typescript',
      `import {\n  alpha,\n  beta,\n} from './multi';\nimport './side-effect';\nimport gamma from './g';`,
      ['alpha<-./multi:alpha', 'beta<-./multi:beta', 'gamma<-./g:default'],
    ],
    [
      'javascript',
      `const fs = require('fs');\nconst { join, resolve: r } = require('./paths');`,
      ['fs<-fs:*', 'join<-./paths:join', 'r<-./paths:resolve'],
    ],
    [
      'python',
      `from .tasks import Task, sleep as nap\nfrom . import events\nimport os.path as osp, json\nfrom ..util import (\n    helper,\n    other,\n)`,
      [
        'Task<-.tasks:Task',
        'nap<-.tasks:sleep',
        'events<-.:events',
        'helper<-..util:helper',
        'other<-..util:other',
        'osp<-os.path:*',
        'json<-json:*',
      ],
    ],
    [
      'go',
      `package main\n\nimport "fmt"\nimport (\n\tstore "example.com/app/internal/store"\n\t"example.com/app/pkg/api/v2"\n\t_ "embed"\n)`,
      ['fmt<-fmt:*', 'store<-example.com/app/internal/store:*', 'api<-example.com/app/pkg/api/v2:*'],
    ],
    [
      'rust',
      `mod parser;\npub mod lexer;\nuse crate::ast::{Node, Expr as E, self};\nuse super::util::helper;\nuse std::fmt;`,
      [
        'parser<-mod:parser:*',
        'lexer<-mod:lexer:*',
        'Node<-crate::ast:Node',
        'E<-crate::ast:Expr',
        'ast<-crate:ast',
        'helper<-super::util:helper',
      ],
    ],
  ])('reads %s imports', (languageId, text, expected) => {
    expect(bindings(languageId, text)).toEqual(expected);
  });

  it('reads re-exports of barrel files', () => {
    const { reexports } = parseImports(
      'typescript',
      `export * from './a.js';\nexport { b, c as d } from './bc.js';\nexport type { T } from './t.js';`,
    );
    expect(reexports.map((r) => [r.spec, r.names ? [...r.names] : '*'])).toEqual([
      ['./a.js', '*'],
      [
        './bc.js',
        [
          ['b', 'b'],
          ['d', 'c'],
        ],
      ],
      ['./t.js', [['T', 'T']]],
    ]);
  });

  it('knows nothing of other languages', () => {
    expect(parseImports('markdown', 'import x from "y"')).toEqual({ imports: [], reexports: [] });
  });
});

/**
 * "Generate unit tests": finds the repository's test framework and the conventional test file,
 * asks for a structured answer (imports apart from test code), merges it into the existing test
 * file or a new one, and checks that the whole test file parses before offering the edit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkParses, describeProblems } from './check.ts';
import { actionContext } from './context.ts';
import { diffText } from './diff.ts';
import { planTests } from './frameworks.ts';
import { callModel } from './model-call.ts';
import { parseTests } from './output.ts';
import { parseFeedback, regionInput, TESTS_INSTRUCTIONS, TESTS_SCHEMA } from './prompts.ts';
import { summarize } from './rewrite.ts';
import { refused, type ActionDeps, type ActionOutcome, type ActionRequest, type Prepared } from './types.ts';

/** Lines that belong to a file's head: package clauses, imports, `use`, requires, shebangs. */
const HEAD_LINE =
  /^\s*(import\b|from\s+\S+\s+import\b|use\s|package\s|extern crate\b|#!|['"]use strict['"]|(const|let|var)\s+[\w{}\s,]+=\s*require\(|\)\s*$)/;
const SKIPPABLE = /^\s*($|\/\/|#(?!\[)|\/\*|\*)/;
const EXISTING_LINES_SHOWN = 120;

/** The offset after a file's last head line: where new imports go. */
export function headInsertOffset(text: string): number {
  let offset = 0;
  let insertAt = 0;
  let inImportBlock = false;
  for (const line of text.split(/(?<=\n)/)) {
    const next = offset + line.length;
    if (inImportBlock) {
      if (/^\s*\)\s*$/.test(line)) (inImportBlock = false), (insertAt = next);
    } else if (/^\s*import\s*\(\s*$/.test(line)) {
      inImportBlock = true;
    } else if (HEAD_LINE.test(line)) {
      insertAt = next;
    } else if (!SKIPPABLE.test(line)) {
      break;
    }
    offset = next;
  }
  return insertAt;
}

/** The test file after adding the answer: new head lines after the existing ones, tests at the end. */
export function mergeTests(existing: string | undefined, answer: { header: string; body: string }): string {
  const body = answer.body.trim();
  if (existing === undefined || existing.trim() === '') {
    const header = answer.header.trim();
    return `${header ? `${header}\n\n` : ''}${body}\n`;
  }
  const present = new Set(existing.split('\n').map((line) => line.trim()));
  const header = answer.header
    .split('\n')
    .filter((line) => line.trim() !== '' && !present.has(line.trim()))
    .join('\n');
  const at = headInsertOffset(existing);
  const withHeader = header
    ? `${existing.slice(0, at)}${at > 0 && !existing.slice(0, at).endsWith('\n') ? '\n' : ''}${header}\n${existing.slice(at)}`
    : existing;
  return `${withHeader}${withHeader.endsWith('\n') ? '' : '\n'}\n${body}\n`;
}

export async function runTests(deps: ActionDeps, request: ActionRequest, prepared: Prepared): Promise<ActionOutcome> {
  const { doc } = prepared;
  if (!doc.uri.startsWith('file:')) return refused('ghostline: tests can be generated only for files saved on disk.');
  const plan = planTests(prepared.path, doc.languageId, deps.workspaceRoot());
  if ('refused' in plan) return refused(plan.refused);
  // The existing test file goes into the prompt as context: an excluded one must not.
  const testFileRefusal = deps.calls.refuse(plan.testPath);
  if (testFileRefusal) return refused(`ghostline: ${testFileRefusal}`);
  const uri = plan.sameFile ? doc.uri : pathToFileURL(plan.testPath).href;
  const open = plan.sameFile ? doc : deps.documents.get(uri);
  const existing = open
    ? { text: open.text, version: open.version as number | null }
    : existsSync(plan.testPath)
      ? { text: readFileSync(plan.testPath, 'utf8'), version: null }
      : undefined;
  const shown = existing ? existing.text.split('\n').slice(0, EXISTING_LINES_SHOWN).join('\n') : '';
  const facts = [
    `Test framework: ${plan.framework}`,
    `Test file: ${plan.testPath} (${existing ? 'exists' : 'new file'})`,
    `Code under test is reached as: ${plan.importHint}`,
    existing
      ? `The test file begins with:\n${shown}`
      : 'The test file does not exist yet: the header must hold everything the file needs at the top.',
  ];
  const context = await actionContext(deps, 'tests', prepared, { testPath: plan.testPath });
  let feedback: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const { text, model } = await callModel(
      deps,
      {
        task: 'tests',
        languageId: doc.languageId,
        instructions: TESTS_INSTRUCTIONS,
        input: regionInput(prepared, context.snippets, [...facts, ...feedback]),
        jsonSchema: TESTS_SCHEMA,
        file: prepared.path,
        contextFiles: context.files,
        signal: request.signal,
        stream: false,
      },
      request.sink,
    );
    const answer = parseTests(text);
    let failure = 'the answer was not the JSON the schema asks for';
    if (answer) {
      const base = existing?.text ?? '';
      const next = mergeTests(existing?.text, answer);
      const problems = await checkParses({
        languageId: doc.languageId,
        text: base,
        start: 0,
        end: base.length,
        replacement: next,
      });
      if (!problems) {
        const file = {
          uri,
          version: existing?.version ?? null,
          baseText: base,
          changes: diffText(base, next),
          create: !existing,
        };
        return {
          kind: 'edit',
          files: [file],
          summary: `${plan.framework} tests in ${plan.testPath}: ${summarize(base, next)}`,
          model,
        };
      }
      failure = `the test file would not parse (${describeProblems(problems)})`;
      feedback = [parseFeedback(problems)];
    } else {
      feedback = [`Your previous answer was unusable: ${failure}.`];
    }
    if (attempt >= 2)
      return refused(
        `ghostline: the tests from ${model} are unusable (${failure}), even after a retry; nothing was changed.`,
        'error',
      );
  }
}

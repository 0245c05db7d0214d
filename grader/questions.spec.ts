// Written answers end to end: every seed assignment's questions graded from the bundled answers.yaml
// fixtures (correct, equivalent-but-different, wrong), scores computed from the assignment's points and
// credits; the words a student reads; answers files that are missing, malformed or hidden; the CLI; batch.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, loadAssignment, parseAssignment } from './assignment.ts';
import { loadAnswers, parseAnswers } from './answers.ts';
import { main } from './cli.ts';
import { grade } from './grade.ts';
import { gradeQuestion, gradeQuestions } from './questions.ts';
import { GradescopeResultsSchema, toGradescope } from './render/gradescope.ts';
import { toJunit } from './render/junit.ts';
import { reportHtml } from './render/html.ts';
import { reportMarkdown } from './render/markdown.ts';
import { questionFeedback } from './render/question.ts';
import { reportTerminal } from './render/terminal.ts';
import { testTempDir } from './test-temp.ts';

const root = path.join(import.meta.dirname, '..');
const assignmentFile = (seed: string) => path.join(root, 'fixtures', 'assignments', `${seed}.yaml`);
const answersFile = (seed: string, kind: string) => path.join(root, 'fixtures', 'answers', seed, `${kind}.yaml`);
const SEEDS = ['seed-000', 'seed-001', 'seed-002', 'seed-003', 'seed-004'] as const;

/** The wrong form each answer of wrong.yaml makes (undefined: wrong in a way the assignment does not name). */
const WRONG: Record<(typeof SEEDS)[number], Record<string, string | undefined>> = {
  'seed-000': {
    'p1.1-softmax-jacobian': 'missing-inv-tau',
    'p1.2-grad-a': 'grad-a-transposed',
    'p1.2-grad-b': 'residual-sign-flipped',
    'p2.1-huber-psi': 'no-delta-clip',
    'p3.1-m1': 'beta-swapped',
    'p3.1-v1': 'not-squared',
    'p3.1-w2': 'closed-form-no-bias-correction',
    'p3.1-m2': undefined,
    'p3.1-v2': undefined,
    'p3.1-w3': 'closed-form-t1-correction-at-step-2',
  },
  'seed-001': { 'q5-xavier-variance': 'xavier-fan-in-only', 'q5-he-variance': 'he-fan-out' },
  'seed-002': {
    'q1.1-box-function': 'height-on-one-neuron',
    'q1.3-boxes-needed': 'linear-in-d',
    'q2.1-linear-output-variance': 'sigma-for-variance',
    'q2.2-forward-rule': 'std-variance-confused',
    'q2.3-relu-rule': 'relu-no-half',
    'q2.4-backward-variance': 'backward-fan-in',
    'q2.4-backward-rule': 'forward-rule',
    'q2.5-xavier-variance': 'xavier-fan-in-only',
    'q2.5-uniform-bound': 'bound-not-square-rooted',
    'q2.5-uniform-variance': 'width-a',
  },
  'seed-003': {
    '1.d-decay-gradient': 'decay-uses-abs',
    '1.e-decay-update': 'decay-scaled-by-lr',
    '2.2-ema-numerator': 'ema-beta-swapped',
    '2.2-ema-bias-corrected': 'ema-no-bias-correction',
    '3.8-param-count': 'no-biases',
  },
  'seed-004': {
    'p1.2-product-variance': 'variance-times-variance',
    'p1.3-relu-second-moment': 'relu-half-inverted',
    'p1-he-variance': 'relu-no-half',
    'p4-param-count': 'no-biases',
  },
};

describe.each(SEEDS)('%s written answers', (seed) => {
  const assignment = loadAssignment(assignmentFile(seed));
  const ids = assignment.questions.map((q) => q.id);
  const graded = (kind: string) => gradeQuestions(assignment.questions, loadAnswers(answersFile(seed, kind), ids), assignment.seed);

  it('has questions, and every fixture answers every one of them', () => {
    expect(ids.length).toBeGreaterThan(0);
    expect(Object.keys(WRONG[seed]).sort()).toEqual([...ids].sort());
    for (const kind of ['correct', 'equivalent', 'wrong']) {
      const answers = loadAnswers(answersFile(seed, kind), ids);
      expect(answers.kind).toBe('answers');
      if (answers.kind === 'answers') expect(Object.keys(answers.answers).sort(), kind).toEqual([...ids].sort());
    }
  });

  it.each(['correct', 'equivalent'])('%s.yaml earns every point (equivalent forms never lose points)', (kind) => {
    for (const q of graded(kind)) expect(q.score, `${q.id}: ${questionFeedback(q)}`).toBe(q.points);
  });

  it('wrong.yaml: each answer is named as the wrong form it makes and earns exactly its credit', () => {
    for (const q of graded('wrong')) {
      const settings = assignment.questions.find((s) => s.id === q.id)!;
      const named = WRONG[seed][q.id];
      if (named === undefined) {
        expect(q.outcome.kind, q.id).toBe('incorrect');
        expect(q.score).toBe(0);
      } else {
        expect(q.outcome, `${q.id}: ${questionFeedback(q)}`).toMatchObject({ kind: 'wrong_form', id: named });
        expect(q.score).toBeCloseTo(settings.points * settings.wrong_forms[named]!.credit, 9);
        expect(questionFeedback(q)).toContain(settings.wrong_forms[named]!.says);
      }
      expect(q.score, q.id).toBeLessThan(q.points);
    }
  });

  it('every declared wrong form, submitted as written, is named with its credit', () => {
    for (const settings of assignment.questions) {
      for (const [id, w] of Object.entries(settings.wrong_forms)) {
        const q = gradeQuestion(settings, { kind: 'answers', file: 'answers.yaml', answers: { [settings.id]: w.form }, unknown: [] }, assignment.seed);
        expect(q.outcome, `${settings.id}/${id}`).toMatchObject({ kind: 'wrong_form', id });
        expect(q.score).toBeCloseTo(settings.points * w.credit, 9);
      }
    }
  });
});

const QUESTIONS_ONLY = `
name: written answers only
seed: 11
questions:
  - id: xavier
    points: 2
    answer: "2/(n_in + n_out)"
    variables: { n_in: positive_integer, n_out: positive_integer }
    wrong_forms:
      xavier-fan-in-only: { form: "1/n_in", credit: 0.5, says: "Xavier is not 1/n_in." }
  - id: jacobian
    points: 3
    visibility: hidden
    answer: "(diag(y) - y*y')/tau"
    variables:
      y: { domain: unit_interval, shape: [n] }
      tau: positive
`;

function tmpDir(): string {
  return testTempDir('answers');
}

function answersAt(dir: string, text: string): string {
  const file = path.join(dir, 'answers.yaml');
  writeFileSync(file, text);
  return file;
}

describe('grading answers into the report', () => {
  const assignment = parseAssignment(QUESTIONS_ONLY, 'questions-only.yaml');

  it('an answers-only submission: one Gradescope test per question, named by id, scores from the credits', async () => {
    const file = answersAt(tmpDir(), "xavier: '\\frac{1}{n_{in}}'\njacobian: diag(y) - y*y'\n");
    const report = await grade({ assignment, submission: file });
    expect(report.ungradable).toBeUndefined();
    expect(report.maxScore).toBe(5);
    expect(report.score).toBeCloseTo(2 * 0.5, 9);
    const results = toGradescope(report);
    expect(GradescopeResultsSchema.safeParse(results).success).toBe(true);
    expect(results.tests.map((t) => t.name.split(':')[0])).toEqual(['xavier', 'jacobian']);
    expect(results.tests.map((t) => t.visibility)).toEqual(['visible', 'hidden']);
    expect(results.tests[0]?.output).toContain('xavier-fan-in-only');
    // The hidden question shows its verdict only: no point, no values, never the expected form.
    const hidden = results.tests[1]!.output;
    expect(hidden).toMatch(/^Incorrect\. The details of this question are hidden\.$/);
    for (const text of [reportMarkdown(report, { includeChecks: true }), reportTerminal(report), toJunit(report), JSON.stringify(results)]) {
      expect(text).not.toContain('diag(y) - y*y\')/tau');
      expect(text).not.toMatch(/tau = /);
    }
    expect(toJunit(report)).toContain('<testsuite name="questions" tests="2" failures="2">');
  });

  it('feedback.html: a visible wrong answer is drawn against the expected form; a hidden one shows its verdict only', async () => {
    const file = answersAt(tmpDir(), "xavier: '\\frac{1}{n_{in} + 2 n_{out}}'\njacobian: diag(y) - y*y'\n");
    const report = await grade({ assignment, submission: file });
    const html = reportHtml(report);
    const section = (id: string) => html.split('<section class="question').slice(1).find((part) => part.includes(` data-question="${id}">`))?.split('</section>')[0] ?? '';
    const xavier = section('xavier');
    expect(xavier).toContain('Incorrect: not equal to the expected closed form');
    expect(xavier).toContain('<svg');
    // Two series (expected form, your answer) over the sampled values of a scalar variable.
    expect(xavier.match(/<path /g)?.length ?? xavier.match(/<polyline /g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const plot = report.questions[0]!.outcome.kind === 'incorrect' ? report.questions[0]!.outcome.plot : undefined;
    expect(plot?.kind).toBe('lines');
    if (plot?.kind === 'lines') {
      const [expected, yours] = plot.series;
      expect(expected!.y.some((y, i) => Math.abs(y - yours!.y[i]!) > 1e-9)).toBe(true);
      // The expected series is 2/(n_in + n_out) along the plotted axis.
      const n = report.questions[0]!.outcome.kind === 'incorrect' && report.questions[0]!.outcome.verdict.kind === 'different' ? report.questions[0]!.outcome.verdict.point : {};
      const axis = plot.xLabel;
      plot.x.forEach((x, i) => {
        const at = { ...n, [axis]: x } as Record<string, number>;
        expect(expected!.y[i]).toBeCloseTo(2 / (at['n_in']! + at['n_out']!), 12);
      });
    }
    const jacobian = section('jacobian');
    expect(jacobian).toContain('Incorrect. The details of this question are hidden.');
    expect(jacobian).not.toContain('<svg');
  });

  it('a folder with answers.yaml is graded; the self-check grades visible questions only', async () => {
    const dir = tmpDir();
    answersAt(dir, "xavier: 2/(n_out + n_in)\njacobian: (diag(y) - y*y')/tau\n");
    const full = await grade({ assignment, submission: dir });
    expect(full.score).toBe(5);
    const self = await grade({ assignment, submission: dir, visibleOnly: true });
    expect(self.questions.map((q) => q.id)).toEqual(['xavier']);
    expect(self.maxScore).toBe(2);
  });

  it('no answers file: 0 per question with what was expected, and the report still renders', async () => {
    const report = await grade({ assignment, submission: tmpDir() });
    expect(report.score).toBe(0);
    expect(report.questions.map((q) => q.outcome.kind)).toEqual(['missing', 'missing']);
    expect(questionFeedback(report.questions[0]!)).toMatch(/No answers file: submit answers\.yaml.*expression in n_in, n_out/);
    expect(GradescopeResultsSchema.safeParse(toGradescope(report)).success).toBe(true);
  });

  it('a missing answer, an unknown variable and an unparseable answer: 0 each, the reason in words', async () => {
    const file = answersAt(tmpDir(), 'xavier: 2/(n_in + fan_out)\nother: 1\n');
    const report = await grade({ assignment, submission: file });
    const [xavier, jacobian] = report.questions;
    expect(xavier?.outcome).toMatchObject({ kind: 'invalid', error: { kind: 'unknown_variable', name: 'fan_out' } });
    expect(questionFeedback(xavier!)).toContain('this question\'s variables are n_in, n_out');
    expect(jacobian?.outcome.kind).toBe('missing');
    expect(report.unknownAnswers).toEqual(['other']);
    expect(reportTerminal(report)).toContain('answers for unknown questions (ignored): other');
    const unparseable = parseAnswers("xavier: '2/(n_in +'\n", 'a.yaml', ['xavier']);
    expect(gradeQuestion(assignment.questions[0]!, unparseable, 1).outcome).toMatchObject({ kind: 'invalid', error: { kind: 'unparseable' } });
  });

  it('broken YAML is data: every question 0 with the line; a double-quoted LaTeX answer is read as written', () => {
    const broken = parseAnswers('xavier: [1/n_in\n', 'answers.yaml', ['xavier']);
    expect(broken).toMatchObject({ kind: 'unreadable' });
    const q = gradeQuestion(assignment.questions[0]!, broken, 1);
    expect(q.score).toBe(0);
    expect(questionFeedback(q)).toMatch(/answers\.yaml could not be read: line \d/);
    // In YAML "\frac" is a form feed and "\tau" a tab; students write it anyway.
    const quoted = parseAnswers('xavier: "\\frac{2}{n_{in} + n_{out}}"\n', 'answers.yaml', ['xavier']);
    expect(quoted.kind === 'answers' && quoted.answers['xavier']).toBe('\\frac{2}{n_{in} + n_{out}}');
    expect(gradeQuestion(assignment.questions[0]!, quoted, 1).score).toBe(2);
  });

  it('the same seed grades the same answers the same way, counterexample included', () => {
    const answers = parseAnswers('xavier: 3/(n_in + n_out)\n', 'answers.yaml', ['xavier']);
    const a = gradeQuestion(assignment.questions[0]!, answers, 5);
    expect(a.outcome.kind).toBe('incorrect');
    expect(gradeQuestion(assignment.questions[0]!, answers, 5)).toEqual(a);
    expect(questionFeedback(a)).toMatch(/^Incorrect: not equal to the expected closed form: at n_in = \d+, n_out = \d+, expected /);
  });
});

describe('questions in an assignment are validated with file, line and field', () => {
  const invalid = (yaml: string) => {
    try {
      parseAssignment(yaml, 'bad.yaml');
    } catch (error) {
      if (error instanceof AssignmentError) return error.issues;
      throw error;
    }
    throw new Error('the assignment was accepted');
  };
  const question = (body: string) => `name: x\nseed: 1\nquestions:\n  - id: q\n    points: 1\n${body}`;

  it.each([
    ['an expected form that does not parse', '    answer: "1/(n"\n    variables: { n: positive_integer }\n', 'questions[0].answer', /could not read/],
    ['an unknown variable in the expected form', '    answer: "1/m"\n    variables: { n: positive_integer }\n', 'questions[0].answer', /unknown variable "m"/],
    ['a wrong form equal to the answer', '    answer: "2/n"\n    variables: { n: positive_integer }\n    wrong_forms:\n      same: { form: "4/(2*n)", credit: 0.5, says: "x" }\n', 'questions[0].wrong_forms.same.form', /equivalent to the answer/],
    ['a dimension that is not a positive integer', '    answer: "y"\n    variables: { y: { shape: [s] }, s: real }\n', 'questions[0].variables.y.shape', /positive integer/],
    ['a credit above 1', '    answer: "n"\n    variables: { n: real }\n    wrong_forms:\n      w: { form: "2*n", credit: 2, says: "x" }\n', 'questions[0].wrong_forms.w.credit', /1/],
    ['an unknown domain', '    answer: "n"\n    variables: { n: complex }\n', 'questions[0].variables.n', /./],
  ])('%s', (_, body, field, message) => {
    const issues = invalid(question(body));
    const issue = issues.find((i) => i.path === field);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(issue?.line).toBeGreaterThan(3);
  });
});

describe('the command line and batch', () => {
  it('gradecheck grade --answers writes the questions into results.json', async () => {
    const dir = tmpDir();
    const afile = path.join(dir, 'a.yaml');
    writeFileSync(afile, QUESTIONS_ONLY);
    const answers = answersAt(dir, 'xavier: 2/(n_in+n_out)\n');
    const out = path.join(dir, 'out');
    const code = await main(['node', 'gradecheck', 'grade', '--assignment', afile, '--submission', answers, '--answers', answers, '--out', out]);
    expect(code).toBe(0);
    const results = GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(results.score).toBe(2);
    expect(results.tests.find((t) => t.name.startsWith('xavier'))?.status).toBe('passed');
    expect(readFileSync(path.join(out, 'feedback.md'), 'utf8')).toContain('## Written answers');
  });

  it('batch grades a student folder with hw.py and answers.yaml together', async () => {
    const { runBatch } = await import('./batch.ts');
    const dir = tmpDir();
    const afile = path.join(dir, 'a.yaml');
    writeFileSync(afile, `name: code and answers\nseed: 3\nproblems:\n  - { id: param-count, points: 1 }\n${QUESTIONS_ONLY.split('questions:')[1]!.replace(/^/, 'questions:')}`);
    const assignment = loadAssignment(afile);
    const student = path.join(dir, 'class', 'alice');
    mkdirSync(student, { recursive: true });
    copyFileSync(path.join(root, 'fixtures', 'submissions', 'param-count', 'correct.py'), path.join(student, 'hw.py'));
    answersAt(student, "xavier: 2/(n_in + n_out)\njacobian: '\\frac{1}{\\tau}(\\mathrm{diag}(y) - y y^\\top)'\n");
    const rows = await runBatch({ assignment, submissionsDir: path.join(dir, 'class'), outDir: path.join(dir, 'out'), jobs: 1 });
    const report = rows[0]?.report;
    expect(rows[0]?.error).toBeUndefined();
    expect(report?.problems.map((p) => p.score)).toEqual([1]);
    expect(report?.questions.map((q) => q.score)).toEqual([2, 3]);
    expect(report?.score).toBe(6);
    expect(readFileSync(path.join(dir, 'out', 'gradebook.csv'), 'utf8').split('\n')[0]).toContain('param-count,xavier,jacobian');
  });
});

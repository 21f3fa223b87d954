/**
 * A small, honest subset of the Velocity Template Language that API Gateway mapping templates use, parsed
 * when the gateway starts so that anything outside it is a gap (`VtlUnsupportedError`) instead of a
 * surprise at request time.
 *
 * Supported:
 * - text, `## line` and `#* block *#` comments, `\$` / `\#` escapes;
 * - references `$x`, `$!x`, `${x}`, `$!{x}` with `.property` and `.method(args)` steps:
 *   `$input.params()`, `$input.params('name')` (path, then query string, then header — case-insensitive),
 *   `$input.params().header|querystring|path` with `.get("name")` or `.name`, `$context.*`,
 *   `$stageVariables.*`, `$util.escapeJavaScript|urlEncode|urlDecode|base64Encode|base64Decode(…)`,
 *   variables set with `#set`, and on strings `length() toLowerCase() toUpperCase() trim() contains(s)
 *   startsWith(s) endsWith(s) equals(s)`;
 * - `#set($var = expr)`, `#set($context.responseOverride.status = expr)`,
 *   `#set($context.responseOverride.header.Name = expr)`;
 * - `#if(expr)` / `#elseif(expr)` / `#else` / `#end`;
 * - expressions: string literals (`"…"` interpolates references, `'…'` does not), integers, `true`,
 *   `false`, `null`, references, `( )`, `== != < > <= >=`, `&& and || or ! not`.
 *
 * Velocity 1.7 semantics, as API Gateway runs it: `#set` with a null value leaves the variable as it was;
 * in `#if` only null and false are false (an empty string is true); `==` compares numbers as numbers and
 * anything else by its string form. Unverified choices: a line holding only directives (and whitespace)
 * renders nothing, newline included (Velocity 2's "lines" gobbling; 1.7 keeps leading whitespace);
 * an undefined `$input`, `$context`, `$stageVariables` value renders as an empty string, an undefined
 * variable of the template's own renders as written (`$nope`), as Velocity does.
 */

export class VtlUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VtlUnsupportedError';
  }
}

/** What a template can read about the request. */
export interface VtlInput {
  /** `$input.params()`: path parameters, query string (last value), headers (client casing, last value). */
  readonly params: {
    readonly path: Readonly<Record<string, string>>;
    readonly querystring: Readonly<Record<string, string>>;
    readonly header: Readonly<Record<string, string>>;
  };
  /** `$context.<path>`, e.g. `requestId`, `identity.sourceIp`. */
  context(path: string): string | undefined;
  stageVariable(name: string): string | undefined;
}

export interface VtlOutput {
  readonly text: string;
  /** `$context.responseOverride.status`. */
  readonly status: number | undefined;
  /** `$context.responseOverride.header.*`, in the order set (a later set of a name replaces it). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

// ------------------------------------------------------------------------------------------------
// AST

type Step =
  | { readonly kind: 'prop'; readonly name: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };

interface Ref {
  readonly type: 'ref';
  readonly root: string;
  readonly steps: readonly Step[];
  readonly quiet: boolean;
  /** As written, rendered for an undefined variable. */
  readonly source: string;
}

type Expr =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'interpolated'; readonly nodes: readonly Node[] }
  | Ref
  | { readonly type: 'not'; readonly operand: Expr }
  | { readonly type: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr };

type Node =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'ref'; readonly ref: Ref }
  | { readonly type: 'set'; readonly target: SetTarget; readonly value: Expr }
  | {
      readonly type: 'if';
      readonly branches: ReadonlyArray<{ readonly test: Expr | undefined; readonly body: readonly Node[] }>;
    };

type SetTarget =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'status' }
  | { readonly kind: 'header'; readonly name: string };

const ROOTS = new Set(['input', 'context', 'stageVariables', 'util']);
const UTIL = new Set(['escapeJavaScript', 'urlEncode', 'urlDecode', 'base64Encode', 'base64Decode']);
const STRING_METHODS = new Set([
  'length',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'contains',
  'startsWith',
  'endsWith',
  'equals',
]);
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const KNOWN_DIRECTIVES = new Set(['set', 'if', 'elseif', 'else', 'end']);
/** Velocity's other directives: outside the subset. Any other `#word` is text, as in Velocity. */
const OTHER_DIRECTIVES = new Set([
  'foreach',
  'break',
  'stop',
  'macro',
  'define',
  'include',
  'parse',
  'evaluate',
]);

// ------------------------------------------------------------------------------------------------
// Parser

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(message: string): never {
    throw new VtlUnsupportedError(`${message} (at character ${this.pos + 1})`);
  }

  peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }

  startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  ident(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  spaces(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  /** Nodes until one of `stops` directives (not consumed) or the end. */
  nodes(stops: readonly string[]): { nodes: Node[]; stop: string | undefined } {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') nodes.push({ type: 'text', text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === '\\' && (this.peek(1) === '$' || this.peek(1) === '#')) {
        text += this.peek(1);
        this.pos += 2;
      } else if (c === '#' && this.peek(1) === '#') {
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.src.length : end; // the newline stays
      } else if (c === '#' && this.peek(1) === '*') {
        const end = this.src.indexOf('*#', this.pos + 2);
        if (end < 0) this.fail('unterminated #* comment');
        this.pos = end + 2;
      } else if (c === '#' && /[A-Za-z{]/.test(this.peek(1))) {
        const save = this.pos;
        this.pos++;
        const braced = this.peek() === '{';
        if (braced) this.pos++;
        const name = this.ident() ?? '';
        if (braced) {
          if (this.peek() !== '}') this.fail(`#{${name} is not a directive`);
          this.pos++;
        }
        if (OTHER_DIRECTIVES.has(name)) this.fail(`#${name} is not supported`);
        if (!KNOWN_DIRECTIVES.has(name)) {
          text += this.src.slice(save, this.pos);
          continue;
        }
        if (stops.includes(name)) {
          this.pos = save;
          flush();
          return { nodes, stop: name };
        }
        if (name === 'elseif' || name === 'else' || name === 'end') this.fail(`#${name} without #if`);
        flush();
        nodes.push(name === 'set' ? this.set() : this.if());
      } else if (c === '$' && /[A-Za-z_{!]/.test(this.peek(1))) {
        const ref = this.reference();
        if (ref === undefined) text += c;
        else {
          flush();
          nodes.push({ type: 'ref', ref });
        }
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    return { nodes, stop: undefined };
  }

  /** `$x.y(…)`, or undefined when `$` does not start a reference (it is then text). */
  reference(): Ref | undefined {
    const start = this.pos;
    this.pos++; // $
    const quiet = this.peek() === '!';
    if (quiet) this.pos++;
    const braced = this.peek() === '{';
    if (braced) this.pos++;
    const root = this.ident();
    if (root === undefined) {
      this.pos = start + 1;
      return undefined;
    }
    const steps: Step[] = [];
    for (;;) {
      if (this.peek() !== '.' || !/[A-Za-z_]/.test(this.peek(1))) break;
      this.pos++;
      const name = this.ident() as string;
      if (this.peek() === '(') {
        this.pos++;
        steps.push({ kind: 'call', name, args: this.args() });
      } else steps.push({ kind: 'prop', name });
    }
    if (braced) {
      if (this.peek() !== '}') this.fail('unterminated braced reference');
      this.pos++;
    }
    const ref: Ref = { type: 'ref', root, steps, quiet, source: this.src.slice(start, this.pos) };
    checkReference(ref, (m) => this.fail(m));
    return ref;
  }

  args(): Expr[] {
    const args: Expr[] = [];
    this.spaces();
    if (this.peek() === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      args.push(this.expr());
      this.spaces();
      if (this.peek() === ')') {
        this.pos++;
        return args;
      }
      if (this.peek() !== ',') this.fail('expected , or ) in arguments');
      this.pos++;
    }
  }

  open(): void {
    this.spaces();
    if (this.peek() !== '(') this.fail('expected (');
    this.pos++;
  }

  close(): void {
    this.spaces();
    if (this.peek() !== ')') this.fail('expected )');
    this.pos++;
  }

  set(): Node {
    this.open();
    this.spaces();
    if (this.peek() !== '$') this.fail('#set needs a $reference');
    const target = this.reference();
    if (target === undefined) this.fail('#set needs a $reference');
    this.spaces();
    if (this.peek() !== '=') this.fail('expected = in #set');
    this.pos++;
    const value = this.expr();
    this.close();
    return { type: 'set', target: setTarget(target, (m) => this.fail(m)), value };
  }

  if(): Node {
    const branches: { test: Expr | undefined; body: Node[] }[] = [];
    let test: Expr | undefined = this.condition();
    for (;;) {
      const { nodes, stop } = this.nodes(['elseif', 'else', 'end']);
      branches.push({ test, body: nodes });
      if (stop === undefined) this.fail('#if without #end');
      this.directiveName();
      if (stop === 'end') return { type: 'if', branches };
      if (test === undefined) this.fail(`#${stop} after #else`);
      test = stop === 'elseif' ? this.condition() : undefined;
    }
  }

  /** Skips `#name` / `#{name}` (already known to be there). */
  directiveName(): void {
    this.pos++;
    const braced = this.peek() === '{';
    if (braced) this.pos++;
    this.ident();
    if (braced) this.pos++;
  }

  condition(): Expr {
    this.open();
    const test = this.expr();
    this.close();
    return test;
  }

  expr(): Expr {
    let left = this.and();
    for (;;) {
      this.spaces();
      if (this.startsWith('||')) this.pos += 2;
      else if (this.word('or')) {
        /* consumed */
      } else return left;
      left = { type: 'binary', op: '||', left, right: this.and() };
    }
  }

  and(): Expr {
    let left = this.not();
    for (;;) {
      this.spaces();
      if (this.startsWith('&&')) this.pos += 2;
      else if (this.word('and')) {
        /* consumed */
      } else return left;
      left = { type: 'binary', op: '&&', left, right: this.not() };
    }
  }

  not(): Expr {
    this.spaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.pos++;
      return { type: 'not', operand: this.not() };
    }
    if (this.word('not')) return { type: 'not', operand: this.not() };
    return this.comparison();
  }

  comparison(): Expr {
    const left = this.primary();
    this.spaces();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (this.startsWith(op)) {
        this.pos += op.length;
        return { type: 'binary', op, left, right: this.primary() };
      }
    }
    for (const [word, op] of [
      ['eq', '=='],
      ['ne', '!='],
    ] as const) {
      if (this.word(word)) return { type: 'binary', op, left, right: this.primary() };
    }
    return left;
  }

  /** Consumes a keyword followed by a non-identifier character. */
  word(w: string): boolean {
    if (!this.startsWith(w) || /[A-Za-z0-9_]/.test(this.peek(w.length))) return false;
    this.pos += w.length;
    return true;
  }

  primary(): Expr {
    this.spaces();
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const inner = this.expr();
      this.close();
      return inner;
    }
    if (c === '"' || c === "'") return this.string(c);
    if (c === '$') {
      const ref = this.reference();
      if (ref === undefined) this.fail('expected a reference');
      return ref;
    }
    const number = /-?\d+/y;
    number.lastIndex = this.pos;
    const m = number.exec(this.src);
    if (m) {
      this.pos += m[0].length;
      if (this.peek() === '.' && /\d/.test(this.peek(1))) this.fail('decimal numbers are not supported');
      return { type: 'literal', value: Number(m[0]) };
    }
    if (this.word('true')) return { type: 'literal', value: true };
    if (this.word('false')) return { type: 'literal', value: false };
    if (this.word('null')) return { type: 'literal', value: null };
    if (c === '[' || c === '{') this.fail('list and map literals are not supported');
    return this.fail(`unexpected ${c === '' ? 'end of template' : JSON.stringify(c)} in an expression`);
  }

  string(quote: string): Expr {
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail('unterminated string');
    const body = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    if (quote === "'" || !/[$#]/.test(body)) return { type: 'literal', value: body };
    const inner = new Parser(body);
    const { nodes } = inner.nodes([]);
    return { type: 'interpolated', nodes };
  }
}

/** What a reference may read: refused at start when it is outside the subset. */
function checkReference(ref: Ref, fail: (message: string) => never): void {
  const [first, second, third] = ref.steps;
  switch (ref.root) {
    case 'input':
      if (first?.kind !== 'call' || first.name !== 'params') {
        fail(`${ref.source}: only $input.params() is supported`);
      }
      if (first.args.length > 1) fail(`${ref.source}: $input.params takes at most one argument`);
      if (first.args.length === 1) {
        if (ref.steps.length > 1) stringSteps(ref, ref.steps.slice(1), fail);
        return;
      }
      if (second === undefined) fail(`${ref.source}: $input.params() alone cannot be rendered here`);
      if (second.kind !== 'prop' || !['header', 'querystring', 'path'].includes(second.name)) {
        fail(`${ref.source}: $input.params() has header, querystring and path`);
      }
      if (third === undefined) fail(`${ref.source}: a whole parameter map cannot be rendered here`);
      if (third.kind === 'call' && (third.name !== 'get' || third.args.length !== 1)) {
        fail(`${ref.source}: on a parameter map only .get(name) is supported`);
      }
      stringSteps(ref, ref.steps.slice(3), fail);
      return;
    case 'context':
    case 'stageVariables': {
      const props = ref.steps.findIndex((s) => s.kind === 'call');
      if (props === 0) fail(`${ref.source}: $${ref.root} has no methods`);
      if (
        ref.root === 'context' &&
        ref.steps[0]?.kind === 'prop' &&
        ref.steps[0].name === 'responseOverride'
      ) {
        return; // a #set target; checked there
      }
      stringSteps(ref, props < 0 ? [] : ref.steps.slice(props), fail);
      return;
    }
    case 'util':
      if (first?.kind !== 'call' || !UTIL.has(first.name) || first.args.length !== 1) {
        fail(`${ref.source}: of $util only ${[...UTIL].join(', ')} (one argument) are supported`);
      }
      stringSteps(ref, ref.steps.slice(1), fail);
      return;
    default:
      stringSteps(ref, ref.steps, fail);
  }
}

function stringSteps(ref: Ref, steps: readonly Step[], fail: (message: string) => never): void {
  for (const step of steps) {
    if (step.kind !== 'call' || !STRING_METHODS.has(step.name)) {
      fail(`${ref.source}: only string methods ${[...STRING_METHODS].join(', ')} are supported on values`);
    }
  }
}

function setTarget(ref: Ref, fail: (message: string) => never): SetTarget {
  if (ref.root !== 'context') {
    if (ROOTS.has(ref.root) || ref.steps.length > 0) fail(`#set(${ref.source} …) is not supported`);
    return { kind: 'var', name: ref.root };
  }
  const names = ref.steps.map((s) => (s.kind === 'prop' ? s.name : '('));
  if (names[0] === 'responseOverride' && names[1] === 'status' && names.length === 2)
    return { kind: 'status' };
  if (names[0] === 'responseOverride' && names[1] === 'header' && names.length === 3 && names[2] !== '(') {
    return { kind: 'header', name: names[2] as string };
  }
  return fail(`#set(${ref.source} …): only $context.responseOverride.status and .header.Name can be set`);
}

// ------------------------------------------------------------------------------------------------
// Evaluation

type Value = string | number | boolean | null | undefined | ParamMap | Params;
/** A map of `$input.params()`: keys as the client sent them (Java map semantics: `get` is exact). */
class ParamMap {
  constructor(readonly values: Readonly<Record<string, string>>) {}
}
class Params {
  constructor(readonly input: VtlInput['params']) {}
}

interface State {
  readonly input: VtlInput;
  readonly vars: Map<string, Value>;
  status: number | undefined;
  headers: Array<readonly [string, string]>;
}

function text(value: Value): string | undefined {
  if (value === null || value === undefined || value instanceof ParamMap || value instanceof Params)
    return undefined;
  return String(value);
}

function param(input: VtlInput['params'], name: string): string {
  const lower = name.toLowerCase();
  const header = Object.entries(input.header).find(([n]) => n.toLowerCase() === lower)?.[1];
  return input.path[name] ?? input.querystring[name] ?? header ?? '';
}

function stringMethod(value: string, name: string, args: readonly Value[]): Value {
  const arg = text(args[0]) ?? '';
  switch (name) {
    case 'length':
      return value.length;
    case 'toLowerCase':
      return value.toLowerCase();
    case 'toUpperCase':
      return value.toUpperCase();
    case 'trim':
      return value.trim();
    case 'contains':
      return value.includes(arg);
    case 'startsWith':
      return value.startsWith(arg);
    case 'endsWith':
      return value.endsWith(arg);
    default:
      return value === text(args[0]);
  }
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
  '/': '\\/',
};

/**
 * `$util.escapeJavaScript`: as Java's `StringEscapeUtils.escapeJavaScript` — quotes, backslash, slash and
 * the usual control escapes; other controls and non-ASCII as `\uXXXX`.
 */
function escapeJavaScript(value: string): string {
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    const named = JS_ESCAPES[c];
    if (named !== undefined) out += named;
    else if (code < 0x20 || code > 0x7e || c.length > 1) {
      for (let i = 0; i < c.length; i++) {
        out += `\\u${c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
      }
    } else out += c;
  }
  return out;
}

function util(name: string, arg: string): string {
  switch (name) {
    case 'escapeJavaScript':
      return escapeJavaScript(arg);
    case 'urlEncode':
      // Java's URLEncoder: spaces as `+`, `*` kept.
      return encodeURIComponent(arg)
        .replace(/%20/g, '+')
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case 'urlDecode':
      return decodeURIComponent(arg.replace(/\+/g, ' '));
    case 'base64Encode':
      return Buffer.from(arg, 'utf8').toString('base64');
    default:
      return Buffer.from(arg, 'base64').toString('utf8');
  }
}

function evalRef(ref: Ref, s: State): Value {
  let value: Value;
  let steps = ref.steps;
  switch (ref.root) {
    case 'input': {
      const [params, ...rest] = steps;
      const args = params?.kind === 'call' ? params.args.map((a) => evalExpr(a, s)) : [];
      if (args.length === 1) value = param(s.input.params, text(args[0]) ?? '');
      else value = new Params(s.input.params);
      steps = rest;
      break;
    }
    case 'context': {
      const props: string[] = [];
      while (steps[0]?.kind === 'prop') {
        props.push(steps[0].name);
        steps = steps.slice(1);
      }
      value = s.input.context(props.join('.')) ?? '';
      break;
    }
    case 'stageVariables': {
      const props: string[] = [];
      while (steps[0]?.kind === 'prop') {
        props.push(steps[0].name);
        steps = steps.slice(1);
      }
      value = s.input.stageVariable(props.join('.')) ?? '';
      break;
    }
    case 'util': {
      const [call, ...rest] = steps;
      const arg = call?.kind === 'call' ? text(evalExpr(call.args[0] as Expr, s)) : undefined;
      value = arg === undefined ? null : util((call as { name: string }).name, arg);
      steps = rest;
      break;
    }
    default:
      value = s.vars.get(ref.root);
  }
  for (const step of steps) {
    if (value instanceof Params) {
      const map = s.input.params[step.name as 'header' | 'querystring' | 'path'];
      value = new ParamMap(map);
    } else if (value instanceof ParamMap) {
      const key = step.kind === 'call' ? (text(evalExpr(step.args[0] as Expr, s)) ?? '') : step.name;
      value = value.values[key];
    } else if (typeof value === 'string' && step.kind === 'call') {
      value = stringMethod(
        value,
        step.name,
        step.args.map((a) => evalExpr(a, s)),
      );
    } else {
      value = undefined;
    }
  }
  return value;
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === '==' || op === '!=') {
    let equal: boolean;
    if (a === null || a === undefined || b === null || b === undefined) equal = (a ?? null) === (b ?? null);
    else if (typeof a === 'number' && typeof b === 'number') equal = a === b;
    else equal = text(a) === text(b);
    return op === '==' ? equal : !equal;
  }
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

const truthy = (value: Value): boolean => value !== null && value !== undefined && value !== false;

function evalExpr(expr: Expr, s: State): Value {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'interpolated':
      return renderNodes(expr.nodes, s);
    case 'ref':
      return evalRef(expr, s);
    case 'not':
      return !truthy(evalExpr(expr.operand, s));
    case 'binary':
      if (expr.op === '&&') return truthy(evalExpr(expr.left, s)) && truthy(evalExpr(expr.right, s));
      if (expr.op === '||') return truthy(evalExpr(expr.left, s)) || truthy(evalExpr(expr.right, s));
      return compare(expr.op, evalExpr(expr.left, s), evalExpr(expr.right, s));
  }
}

function renderNodes(nodes: readonly Node[], s: State): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.text;
        break;
      case 'ref': {
        const value = text(evalRef(node.ref, s));
        if (value !== undefined) out += value;
        else if (!node.ref.quiet && !ROOTS.has(node.ref.root)) out += node.ref.source;
        break;
      }
      case 'set': {
        const value = evalExpr(node.value, s);
        if (value === null || value === undefined) break; // Velocity 1.7: a null value sets nothing
        const target = node.target;
        if (target.kind === 'var') s.vars.set(target.name, value);
        else if (target.kind === 'status') {
          const status = Number(text(value));
          if (Number.isInteger(status)) s.status = status;
        } else {
          const lower = target.name.toLowerCase();
          s.headers = [
            ...s.headers.filter(([n]) => n.toLowerCase() !== lower),
            [target.name, text(value) ?? ''],
          ];
        }
        break;
      }
      case 'if':
        for (const branch of node.branches) {
          if (branch.test === undefined || truthy(evalExpr(branch.test, s))) {
            out += renderNodes(branch.body, s);
            break;
          }
        }
        break;
    }
  }
  return out;
}

/**
 * Lines that hold only directives and whitespace render nothing (see the header). Applied to the source:
 * such a line's leading whitespace and newline are dropped, the directives kept.
 */
function gobbleDirectiveLines(src: string): string {
  const lines = src.split('\n');
  const directiveOnly = /^[ \t]*((#(set|if|elseif)\b[^\n]*\)|#(else|end)\b|#\{(else|end)\})[ \t]*)+(##.*)?$/;
  return lines
    .map((line, i) => {
      const last = i === lines.length - 1;
      if (!directiveOnly.test(line)) return last ? line : `${line}\n`;
      // `#{else}` / `#{end}`: the next line's text now follows directly and must not extend the name.
      return line
        .trim()
        .replace(/##.*$/, '')
        .replace(/#(else|end)\b(?!\})/g, '#{$1}');
    })
    .join('');
}

export interface VtlTemplate {
  render(input: VtlInput): VtlOutput;
}

/** Parses a template; throws VtlUnsupportedError for anything outside the subset. */
export function compileVtl(source: string): VtlTemplate {
  const parser = new Parser(gobbleDirectiveLines(source));
  const { nodes } = parser.nodes([]);
  return {
    render(input) {
      const state: State = { input, vars: new Map(), status: undefined, headers: [] };
      const text = renderNodes(nodes, state);
      return { text, status: state.status, headers: state.headers };
    },
  };
}

/** True when the template has nothing for VTL to do (no `$` and no `#`): it is sent as it is. */
export const isStaticTemplate = (source: string): boolean => !/[$#]/.test(source);

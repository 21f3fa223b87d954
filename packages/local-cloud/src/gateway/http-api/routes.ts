/**
 * HTTP API route matching (developer guide, "Working with routes"). Routes are compiled once into a
 * segment trie; a request walks it preferring, at every segment, a static segment over `{param}` over a
 * greedy `{proxy+}`, and at the end the exact method over `ANY`. The `$default` route catches the rest.
 *
 * That order reproduces the guide's worked example — with `GET /pets/dog/1`, `GET /pets/dog/{id}`,
 * `GET /pets/{proxy+}` and `ANY /{proxy+}`: `GET /pets/dog/1` → the static route, `GET /pets/dog/2` →
 * `{id}`, `GET /pets/cat/1` → `/pets/{proxy+}`, `POST /test/5` → `ANY /{proxy+}`. Where the guide is
 * silent we chose: a full path match with `ANY` beats a greedy match with the exact method; a `{param}`
 * never matches an empty segment; a greedy variable needs at least one character; paths are
 * case-sensitive and a trailing slash is significant.
 */

export class HttpApiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpApiConfigError';
  }
}

type Segment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface RouteTemplate {
  /** Upper-case method or `ANY`. */
  readonly method: string;
  /** The path part of the route key, e.g. `/pets/{id}`. */
  readonly path: string;
  readonly segments: readonly Segment[];
  readonly hasVariables: boolean;
}

const PARAM = /^\{([A-Za-z0-9_.:-]+)(\+?)\}$/;

/** Parses `GET /pets/{id}`; `$default` is not a template (null). */
export function parseRouteKey(routeKey: string): RouteTemplate | null {
  if (routeKey === '$default') return null;
  const space = routeKey.indexOf(' ');
  const method = space === -1 ? '' : routeKey.slice(0, space);
  const path = space === -1 ? '' : routeKey.slice(space + 1);
  if (!/^[A-Z]+$/.test(method) || !path.startsWith('/')) {
    throw new HttpApiConfigError(`route key ${JSON.stringify(routeKey)} is not "METHOD /path" or "$default"`);
  }
  const parts = splitPath(path);
  const segments = parts.map((part, i): Segment => {
    const m = PARAM.exec(part);
    if (!m) {
      if (part.includes('{') || part.includes('}')) {
        throw new HttpApiConfigError(`route key ${JSON.stringify(routeKey)} has a malformed path variable`);
      }
      return { kind: 'static', value: part };
    }
    const name = m[1] as string;
    if (m[2] !== '+') return { kind: 'param', name };
    if (i !== parts.length - 1) {
      throw new HttpApiConfigError(`route key ${JSON.stringify(routeKey)}: a greedy variable must be last`);
    }
    return { kind: 'greedy', name };
  });
  return { method, path, segments, hasVariables: segments.some((s) => s.kind !== 'static') };
}

/** `/a/b` → `['a', 'b']`; `/` → `['']`. */
const splitPath = (path: string): string[] => path.slice(1).split('/');

class MethodTable<R> {
  readonly byMethod = new Map<string, R>();
  any: R | undefined;

  pick(method: string): R | undefined {
    return this.byMethod.get(method) ?? this.any;
  }

  add(method: string, route: R, routeKey: string): void {
    if (method === 'ANY') {
      if (this.any !== undefined) throw new HttpApiConfigError(`duplicate route ${routeKey}`);
      this.any = route;
    } else {
      if (this.byMethod.has(method)) throw new HttpApiConfigError(`duplicate route ${routeKey}`);
      this.byMethod.set(method, route);
    }
  }
}

class Node<R> {
  statics: Map<string, Node<R>> | undefined;
  param: Node<R> | undefined;
  greedy: MethodTable<R> | undefined;
  terminal: MethodTable<R> | undefined;
}

export interface RouteMatch<R> {
  readonly route: R;
  /** Undefined when the route has no path variables (the event then has no `pathParameters`). */
  readonly pathParameters: Record<string, string> | undefined;
}

export class RouteTable<R extends { readonly template: RouteTemplate | null; readonly routeKey: string }> {
  readonly #root = new Node<R>();
  #default: R | undefined;

  add(route: R): void {
    const template = route.template;
    if (template === null) {
      if (this.#default !== undefined) throw new HttpApiConfigError('duplicate route $default');
      this.#default = route;
      return;
    }
    let node = this.#root;
    for (const segment of template.segments) {
      if (segment.kind === 'greedy') {
        node.greedy ??= new MethodTable();
        node.greedy.add(template.method, route, route.routeKey);
        return;
      }
      if (segment.kind === 'param') {
        node = node.param ??= new Node();
      } else {
        node.statics ??= new Map();
        let next = node.statics.get(segment.value);
        if (next === undefined) {
          next = new Node();
          node.statics.set(segment.value, next);
        }
        node = next;
      }
    }
    node.terminal ??= new MethodTable();
    node.terminal.add(template.method, route, route.routeKey);
  }

  /** `path` is the decoded request path without the stage prefix. */
  match(method: string, path: string): RouteMatch<R> | undefined {
    const segments = splitPath(path);
    const route = walk(this.#root, segments, 0, method);
    if (route === undefined) {
      return this.#default === undefined ? undefined : { route: this.#default, pathParameters: undefined };
    }
    return { route, pathParameters: pathParameters(route.template as RouteTemplate, segments) };
  }
}

function walk<R>(node: Node<R>, segments: readonly string[], i: number, method: string): R | undefined {
  if (i === segments.length) return node.terminal?.pick(method);
  const segment = segments[i] as string;
  const exact = node.statics?.get(segment);
  if (exact !== undefined) {
    const found = walk(exact, segments, i + 1, method);
    if (found !== undefined) return found;
  }
  if (node.param !== undefined && segment !== '') {
    const found = walk(node.param, segments, i + 1, method);
    if (found !== undefined) return found;
  }
  if (node.greedy !== undefined && (segment !== '' || i < segments.length - 1)) {
    return node.greedy.pick(method);
  }
  return undefined;
}

function pathParameters(
  template: RouteTemplate,
  segments: readonly string[],
): Record<string, string> | undefined {
  if (!template.hasVariables) return undefined;
  const params: Record<string, string> = {};
  template.segments.forEach((segment, i) => {
    if (segment.kind === 'param') params[segment.name] = segments[i] as string;
    else if (segment.kind === 'greedy') params[segment.name] = segments.slice(i).join('/');
  });
  return params;
}

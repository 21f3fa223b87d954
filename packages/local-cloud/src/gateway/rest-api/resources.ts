/**
 * REST API routing over the resource tree. Resources are compiled once into a segment trie; a request
 * path (raw, without the stage) walks it preferring, at every segment, a static segment over the one
 * `{param}` child over a greedy `{proxy+}` child, backtracking when a branch leads to no resource with
 * methods. Then the method: the exact verb, else `ANY`. No match → 403 Missing Authentication Token
 * (§5.5, recorded for an unknown path and for an unsupported method).
 *
 * Chosen where AWS documents nothing (unverified): the most specific resource that has methods wins and
 * a missing method there is a 403 even if a greedy sibling would take the verb; one trailing slash is
 * ignored; static segments compare percent-decoded; `{param}` never matches an empty segment; path
 * parameter values stay percent-encoded, as recorded (§5.1); a greedy value loses its trailing slash.
 */
import { safeDecode } from '../headers.js';

export type ResourceSegment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

const VARIABLE = /^\{([A-Za-z0-9._:-]+)(\+?)\}$/;

/** `/products/{id}` → segments; `/` → []. Throws on malformed paths. */
export function parseResourcePath(path: string): ResourceSegment[] {
  if (!path.startsWith('/')) throw new Error(`resource path ${JSON.stringify(path)} must start with /`);
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  return parts.map((part, i): ResourceSegment => {
    if (part === '') throw new Error(`resource path ${JSON.stringify(path)} has an empty segment`);
    const m = VARIABLE.exec(part);
    if (!m) {
      if (part.includes('{') || part.includes('}')) {
        throw new Error(`resource path ${JSON.stringify(path)} has a malformed path variable`);
      }
      return { kind: 'static', value: part };
    }
    const name = m[1] as string;
    if (m[2] !== '+') return { kind: 'param', name };
    if (i !== parts.length - 1) {
      throw new Error(`resource path ${JSON.stringify(path)}: a greedy variable must be the last segment`);
    }
    return { kind: 'greedy', name };
  });
}

class Node<R> {
  statics: Map<string, Node<R>> | undefined;
  param: { readonly name: string; readonly node: Node<R> } | undefined;
  greedy: { readonly name: string; readonly resource: R } | undefined;
  resource: R | undefined;
}

export interface ResourceMatch<R> {
  readonly resource: R;
  /** Undefined when the resource path has no variables (the event then shows `null`). */
  readonly pathParameters: Record<string, string> | undefined;
}

export class ResourceTree<R> {
  readonly #root = new Node<R>();
  /**
   * Resources without variables by their path: a request path equal to one is matched without walking
   * the tree (the walk would end there too, static segments winning at every level). Paths with `%` are
   * left to the walk, which compares segments decoded.
   */
  readonly #static = new Map<string, ResourceMatch<R>>();

  /** Adds a resource (the gateway adds only resources that have methods). Throws on conflicts. */
  add(path: string, resource: R): void {
    const segments = parseResourcePath(path);
    let node = this.#root;
    for (const segment of segments) {
      if (segment.kind === 'greedy') {
        if (node.greedy !== undefined) throw new Error(`duplicate resource ${path}`);
        node.greedy = { name: segment.name, resource };
        return;
      }
      if (segment.kind === 'param') {
        if (node.param !== undefined && node.param.name !== segment.name) {
          // AWS: "A sibling ({x}) of this resource already has a variable path part -- only one is allowed".
          throw new Error(
            `resource ${path}: a sibling {${node.param.name}} already has a variable path part`,
          );
        }
        node.param ??= { name: segment.name, node: new Node() };
        node = node.param.node;
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
    if (node.resource !== undefined) throw new Error(`duplicate resource ${path}`);
    node.resource = resource;
    if (!path.includes('%') && segments.every((segment) => segment.kind === 'static')) {
      this.#static.set(path, { resource, pathParameters: undefined });
    }
  }

  /** `path`: raw request path without the stage, starting with `/`. */
  match(path: string): ResourceMatch<R> | undefined {
    const exact = this.#static.get(path);
    if (exact !== undefined) return exact;
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/');
    const params: Array<[string, string]> = [];
    const resource = walk(this.#root, segments, 0, params);
    if (resource === undefined) return undefined;
    if (params.length === 0) return { resource, pathParameters: undefined };
    return { resource, pathParameters: Object.fromEntries(params) };
  }
}

function walk<R>(
  node: Node<R>,
  segments: readonly string[],
  i: number,
  params: Array<[string, string]>,
): R | undefined {
  if (i === segments.length) return node.resource;
  const segment = segments[i] as string;
  const exact = node.statics?.get(segment.includes('%') ? safeDecode(segment) : segment);
  if (exact !== undefined) {
    const found = walk(exact, segments, i + 1, params);
    if (found !== undefined) return found;
  }
  if (node.param !== undefined && segment !== '') {
    params.push([node.param.name, segment]);
    const found = walk(node.param.node, segments, i + 1, params);
    if (found !== undefined) return found;
    params.pop();
  }
  if (node.greedy !== undefined) {
    const rest = segments.slice(i).join('/');
    if (rest !== '') {
      params.push([node.greedy.name, rest]);
      return node.greedy.resource;
    }
  }
  return undefined;
}

import { arn, partitionOf, type StackEnvironment, urlSuffixOf } from './environment';
import type { GapSink } from './gaps';
import type { GapKind } from './model';
import { deterministicUuid, resourceSeed } from './physical-ids';
import { evaluateCondition } from './resolve/conditions';
import { parameterValue } from './resolve/ref';
import { resolveValue } from './resolve/resolve';
import type { ResolveScope } from './resolve/scope';
import { type Json, NO_VALUE, type NoValue, placeholder } from './resolve/value';
import { attributeOf, guessedArn, isKnownType, type ResourceHandle, refOf } from './resource-types';
import { supportLevel } from './support';
import type { Template, TemplateResource } from './template';

/** One stack as read from the assembly (see manifest.ts). */
export interface StackSource {
  readonly artifactId: string;
  readonly stackName: string;
  readonly displayName: string;
  readonly templateFile: string;
  readonly template: Template;
  /** Account and region from the manifest; absent for environment-agnostic stacks. */
  readonly environment: { readonly accountId?: string; readonly region?: string };
}

export interface ResolverOptions {
  readonly accountId: string;
  readonly region: string;
  readonly idSeed: string | undefined;
  /** Parameter values by `Name` or `stackName:Name` (the latter wins). */
  readonly parameters: { readonly [key: string]: string };
  /** Local values of SSM parameters, by parameter name. */
  readonly ssmParameters: { readonly [name: string]: string };
  /** Values for `Fn::ImportValue` of exports that no stack of the assembly provides. */
  readonly importValues: { readonly [exportName: string]: string };
}

/** Where a value is resolved: gaps found while resolving it name this place. */
export interface Site {
  readonly logicalId: string;
  readonly type: string;
  readonly property?: string;
  readonly path?: string;
  /** Record no gaps (values of unsupported and no-op resources: the type is reported already). */
  readonly quiet?: boolean;
}

const PENDING = Symbol('pending');

/** Resolves the stacks of one assembly; cross-stack references go through it. */
export class AssemblyResolver {
  readonly stacks: readonly StackResolver[];
  readonly #byName: Map<string, StackResolver>;
  #exports: Map<string, { stack: StackResolver; output: string }> | undefined;
  #buildingExports = false;

  constructor(
    sources: readonly StackSource[],
    readonly options: ResolverOptions,
    readonly gaps: GapSink,
  ) {
    this.stacks = sources.map((source) => new StackResolver(source, this));
    this.#byName = new Map(this.stacks.map((stack) => [stack.env.stackName, stack]));
  }

  stack(name: string): StackResolver | undefined {
    return this.#byName.get(name);
  }

  importValue(exportName: string, scope: ResolveScope): Json {
    const found = this.#exportIndex().get(exportName);
    if (found) {
      const value = found.stack.output(found.output);
      return (
        value ??
        scope.unresolved(`export ${exportName} (${found.stack.env.stackName}) is excluded by its condition`)
      );
    }
    const given = this.options.importValues[exportName];
    if (given !== undefined) return given;
    return scope.unresolved(`Fn::ImportValue: no stack of this assembly exports ${exportName}`);
  }

  stackOutput(stackName: string, outputName: string, scope: ResolveScope): Json {
    const stack = this.#byName.get(stackName);
    if (!stack) return scope.unresolved(`Fn::GetStackOutput: no stack ${stackName} in this assembly`);
    return (
      stack.output(outputName) ??
      scope.unresolved(`Fn::GetStackOutput: ${stackName} has no output ${outputName}`)
    );
  }

  #exportIndex(): Map<string, { stack: StackResolver; output: string }> {
    if (this.#exports) return this.#exports;
    if (this.#buildingExports) return new Map();
    this.#buildingExports = true;
    const index = new Map<string, { stack: StackResolver; output: string }>();
    try {
      for (const stack of this.stacks) {
        for (const { exportName, output } of stack.exportNames()) {
          const existing = index.get(exportName);
          if (existing) {
            stack.gap(
              { logicalId: output, type: 'Output', property: 'Export.Name' },
              'unresolved',
              `export name ${exportName} is also exported by ${existing.stack.env.stackName}`,
            );
            continue;
          }
          index.set(exportName, { stack, output });
        }
      }
    } finally {
      this.#buildingExports = false;
    }
    this.#exports = index;
    return index;
  }
}

/** Resolves one stack's template: parameters, conditions, resource refs and attributes, outputs. */
export class StackResolver {
  readonly env: StackEnvironment;
  readonly source: StackSource;
  readonly #assembly: AssemblyResolver;
  readonly #handles = new Map<string, ResourceHandle>();
  readonly #refs = new Map<string, string | typeof PENDING>();
  readonly #props = new Map<string, Json | NoValue | typeof PENDING>();
  readonly #conditions = new Map<string, boolean | typeof PENDING>();
  readonly #outputs = new Map<string, Json | NoValue | typeof PENDING>();

  constructor(source: StackSource, assembly: AssemblyResolver) {
    this.source = source;
    this.#assembly = assembly;
    const { options } = assembly;
    const region = source.environment.region ?? options.region;
    const accountId = source.environment.accountId ?? options.accountId;
    const partition = partitionOf(region);
    const seed = resourceSeed({
      seed: options.idSeed,
      accountId,
      region,
      stackName: source.stackName,
      logicalId: '',
    });
    this.env = {
      stackName: source.stackName,
      accountId,
      region,
      partition,
      urlSuffix: urlSuffixOf(region),
      stackId: arn(
        { partition, region, accountId },
        'cloudformation',
        `stack/${source.stackName}/${deterministicUuid(seed)}`,
      ),
    };
  }

  get template(): Template {
    return this.source.template;
  }

  /** Logical ids of the template's resources, in template order. */
  resourceIds(): string[] {
    return Object.keys(this.template.Resources ?? {});
  }

  resource(logicalId: string): TemplateResource | undefined {
    const resources = this.template.Resources ?? {};
    return Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  }

  /** The resource exists and its `Condition` (if any) holds. */
  isActive(logicalId: string): boolean {
    const resource = this.resource(logicalId);
    if (!resource) return false;
    return resource.Condition === undefined || this.condition(resource.Condition);
  }

  /** CDK construct path of a resource. */
  pathOf(logicalId: string): string | undefined {
    const path = this.resource(logicalId)?.Metadata?.['aws:cdk:path'];
    return typeof path === 'string' ? path : undefined;
  }

  /** The site of a resource property; gaps are quiet for resources that are not modelled. */
  siteOf(logicalId: string, property?: string): Site {
    const type = this.resource(logicalId)?.Type ?? 'unknown';
    const path = this.pathOf(logicalId);
    return {
      logicalId,
      type,
      ...(property === undefined ? {} : { property }),
      ...(path === undefined ? {} : { path }),
      quiet: supportLevel(type) !== 'modelled',
    };
  }

  gap(site: Site, kind: GapKind, message: string): void {
    if (site.quiet) return;
    this.#assembly.gaps.add({
      kind,
      stack: this.env.stackName,
      logicalId: site.logicalId,
      type: site.type,
      ...(site.property === undefined ? {} : { property: site.property }),
      ...(site.path === undefined ? {} : { path: site.path }),
      message,
    });
  }

  /** Resolves any template value at a site. */
  resolve(value: unknown, site: Site): Json | NoValue {
    return resolveValue(value, this.scope(site));
  }

  scope(site: Site): ResolveScope {
    const scope: ResolveScope = {
      env: this.env,
      ref: (name) => this.#ref(name, site, scope),
      getAtt: (logicalId, attribute) => this.#getAtt(logicalId, attribute, site, scope),
      condition: (name) => this.condition(name),
      mapping: (map, top, second) => {
        const value = this.template.Mappings?.[map]?.[top]?.[second];
        return value === undefined ? undefined : (structuredClone(value) as Json);
      },
      importValue: (name) => this.#assembly.importValue(name, scope),
      stackOutput: (stackName, outputName) => this.#assembly.stackOutput(stackName, outputName, scope),
      unresolved: (message) => {
        this.gap(site, 'unresolved', message);
        return placeholder(message);
      },
    };
    return scope;
  }

  /** A resolved property of a resource (memoized); undefined when absent or `AWS::NoValue`. */
  property(logicalId: string, name: string): Json | undefined {
    const key = `${logicalId}\0${name}`;
    const cached = this.#props.get(key);
    if (cached === PENDING) return this.#circular(this.siteOf(logicalId, `Properties.${name}`));
    if (cached !== undefined) return cached === NO_VALUE ? undefined : cached;
    const raw = this.resource(logicalId)?.Properties;
    if (!raw || !Object.hasOwn(raw, name)) return undefined;
    this.#props.set(key, PENDING);
    let value: Json | NoValue = NO_VALUE;
    try {
      value = this.resolve(raw[name], this.siteOf(logicalId, `Properties.${name}`));
    } finally {
      this.#props.set(key, value);
    }
    return value === NO_VALUE ? undefined : value;
  }

  /** All resolved properties of a resource. */
  properties(logicalId: string): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const name of Object.keys(this.resource(logicalId)?.Properties ?? {})) {
      const value = this.property(logicalId, name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** The `Ref` value of a resource (memoized). */
  refOf(logicalId: string): string {
    const cached = this.#refs.get(logicalId);
    if (cached === PENDING) return this.#circular(this.siteOf(logicalId));
    if (cached !== undefined) return cached;
    this.#refs.set(logicalId, PENDING);
    let value: string = placeholder(`Ref ${logicalId}`);
    try {
      value = refOf(this.handle(logicalId));
    } finally {
      this.#refs.set(logicalId, value);
    }
    return value;
  }

  handle(logicalId: string): ResourceHandle {
    let handle = this.#handles.get(logicalId);
    if (!handle) {
      handle = {
        logicalId,
        type: this.resource(logicalId)?.Type ?? 'unknown',
        env: this.env,
        seed: resourceSeed({ seed: this.#assembly.options.idSeed, ...this.env, logicalId }),
        prop: (name) => this.property(logicalId, name),
        ref: () => this.refOf(logicalId),
      };
      this.#handles.set(logicalId, handle);
    }
    return handle;
  }

  /** Value of a named condition (memoized); a missing condition is a gap and false. */
  condition(name: string): boolean {
    const cached = this.#conditions.get(name);
    const site: Site = { logicalId: name, type: 'Condition' };
    if (cached === PENDING) {
      this.gap(site, 'unresolved', `condition ${name} refers to itself`);
      return false;
    }
    if (cached !== undefined) return cached;
    const conditions = this.template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) {
      this.gap(site, 'unresolved', `no condition ${name} in the template`);
      this.#conditions.set(name, false);
      return false;
    }
    this.#conditions.set(name, PENDING);
    let value = false;
    try {
      const scope = this.scope(site);
      value = evaluateCondition(conditions[name], { scope, resolve: (inner) => resolveValue(inner, scope) });
    } finally {
      this.#conditions.set(name, value);
    }
    return value;
  }

  /** A resolved output value; undefined when there is no such output or its condition is false. */
  output(name: string): Json | undefined {
    const outputs = this.template.Outputs ?? {};
    if (!Object.hasOwn(outputs, name)) return undefined;
    const declaration = outputs[name];
    if (!declaration) return undefined;
    if (declaration.Condition !== undefined && !this.condition(declaration.Condition)) return undefined;
    const site: Site = { logicalId: name, type: 'Output', property: 'Value' };
    const cached = this.#outputs.get(name);
    if (cached === PENDING) return this.#circular(site);
    if (cached !== undefined) return cached === NO_VALUE ? undefined : cached;
    this.#outputs.set(name, PENDING);
    let value: Json | NoValue = NO_VALUE;
    try {
      value = this.resolve(declaration.Value, site);
    } finally {
      this.#outputs.set(name, value);
    }
    return value === NO_VALUE ? undefined : value;
  }

  /** Export names of the outputs whose condition holds. */
  exportNames(): { exportName: string; output: string }[] {
    const out: { exportName: string; output: string }[] = [];
    for (const [output, declaration] of Object.entries(this.template.Outputs ?? {})) {
      if (declaration.Export === undefined) continue;
      if (declaration.Condition !== undefined && !this.condition(declaration.Condition)) continue;
      const name = this.resolve(declaration.Export.Name, {
        logicalId: output,
        type: 'Output',
        property: 'Export.Name',
      });
      if (typeof name === 'string') out.push({ exportName: name, output });
    }
    return out;
  }

  #ref(name: string, site: Site, scope: ResolveScope): Json | NoValue | undefined {
    const parameters = this.template.Parameters ?? {};
    const declaration = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
    if (declaration) {
      const { options } = this.#assembly;
      const result = parameterValue(name, declaration, {
        override: options.parameters[`${this.env.stackName}:${name}`] ?? options.parameters[name],
        ssm: (path) => options.ssmParameters[path],
      });
      return 'value' in result ? result.value : scope.unresolved(result.unresolved);
    }
    const resource = this.resource(name);
    if (!resource) return undefined;
    if (!this.isActive(name))
      return scope.unresolved(`Ref ${name}: the resource is excluded by its condition`);
    this.#placeholderGap(name, site);
    return this.refOf(name);
  }

  /**
   * A `Ref` / `Fn::GetAtt` of a type the table does not know gives a made-up value: reported once per
   * referenced resource (the sink drops repeats), not per reference, and only when a value that matters
   * locally (a modelled resource's property, an output) uses it.
   */
  #placeholderGap(logicalId: string, site: Site): void {
    const type = this.resource(logicalId)?.Type;
    if (site.quiet || typeof type !== 'string' || isKnownType(type)) return;
    const path = this.pathOf(logicalId);
    this.gap(
      { logicalId, type, ...(path === undefined ? {} : { path }) },
      'unsupported-attribute',
      'Ref / Fn::GetAtt of it are placeholders: what CloudFormation returns for this type is not known locally',
    );
  }

  #getAtt(logicalId: string, attribute: string, site: Site, scope: ResolveScope): Json {
    const resource = this.resource(logicalId);
    if (!resource) return scope.unresolved(`Fn::GetAtt ${logicalId}.${attribute}: no resource ${logicalId}`);
    if (!this.isActive(logicalId)) {
      return scope.unresolved(
        `Fn::GetAtt ${logicalId}.${attribute}: the resource is excluded by its condition`,
      );
    }
    const handle = this.handle(logicalId);
    const value = attributeOf(handle, attribute);
    if (value !== undefined) return value;
    const guess = attribute === 'Arn' ? guessedArn(handle) : undefined;
    if (!isKnownType(resource.Type)) {
      // Reported once for the resource, not at each site that references it.
      this.#placeholderGap(logicalId, site);
      return guess ?? placeholder(`Fn::GetAtt ${logicalId}.${attribute}`);
    }
    const message = `Fn::GetAtt ${logicalId}.${attribute} is not known for ${resource.Type}; ${
      guess ? 'used a made-up ARN' : 'used a placeholder'
    }`;
    this.gap(site, 'unsupported-attribute', message);
    return guess ?? placeholder(`Fn::GetAtt ${logicalId}.${attribute}`);
  }

  #circular(site: Site): string {
    const what = `${site.logicalId}${site.property ? `.${site.property}` : ''}`;
    this.gap({ ...site, quiet: false }, 'unresolved', `circular reference through ${what}`);
    return placeholder(`circular reference ${what}`);
  }
}

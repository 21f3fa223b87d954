import type { Gap, ResourceIdentity } from '../assembly';

/**
 * A gap found while handing the model to a service: a value the model carries that the service does not
 * honour. Same shape and one-line format (`formatGap`) as the loader's gaps.
 */
export function serviceGap(
  resource: ResourceIdentity,
  type: string,
  property: string | undefined,
  message: string,
): Gap {
  return {
    kind: 'unsupported-value',
    stack: resource.stack,
    logicalId: resource.logicalId,
    type,
    ...(property === undefined ? {} : { property: `Properties.${property}` }),
    ...(resource.path === undefined ? {} : { path: resource.path }),
    message,
  };
}

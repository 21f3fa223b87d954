/**
 * API Gateway's request time format (`$context.requestTime`, `requestContext.time`): Common Log Format in
 * UTC, e.g. `17/Jun/2024:15:49:29 +0000`. The last formatted second is remembered, because consecutive
 * requests mostly fall into the same one.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

let lastSecond = Number.NaN;
let lastText = '';

export function formatClfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastText;
  const d = new Date(second * 1000);
  lastText = `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())} +0000`;
  lastSecond = second;
  return lastText;
}

/**
 * Renders a CloudFormation value as a readable string, the way cdk-nag writes them: `{ Ref: X }` becomes `<X>`,
 * `Fn::GetAtt [X, Arn]` becomes `<X.Arn>` and `Fn::Join` concatenates. `labels` names logical ids (resolved from the
 * constructs, never pinned).
 */
export function render(value: unknown, labels: ReadonlyMap<string, string> = new Map()): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => render(v, labels)).join(',');
  if (value && typeof value === 'object') {
    const [[fn, arg]] = Object.entries(value);
    const label = (id: string) => labels.get(id) ?? id;
    if (fn === 'Ref') return `<${label(arg as string)}>`;
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = arg as [string, string];
      return `<${label(id)}.${attribute}>`;
    }
    if (fn === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((p) => render(p, labels)).join(separator);
    }
  }
  return JSON.stringify(value);
}

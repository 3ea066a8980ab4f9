// JumpCloud custom attributes (`attributes: [{name, value}]` on a system user): which of them the
// import manages, and the whole list to write when one of those differs.
// Deterministic and free of Node built-ins: workflow code imports this file.
//
// JumpCloud replaces `attributes` whole on PUT, so writing only the mapped ones would delete
// whatever an admin or another tool put there. The list written is therefore the user's own
// attributes that the mapping does not name, followed by the mapped ones. Names are matched
// ignoring case, so a hand-made "shirtsize" is taken over by a mapped "shirtSize" instead of
// living on next to it.

export interface CustomAttribute {
  name: string;
  value: string;
}

/** What the mapping wants in `attributes` for one employee. */
export interface DesiredAttributes {
  /** Every attribute name the mapping writes (an empty value removes the attribute). */
  managed: readonly string[];
  /** The mapped attributes that have a value, in mapping order. */
  values: readonly CustomAttribute[];
}

export const NO_DESIRED_ATTRIBUTES: DesiredAttributes = { managed: [], values: [] };

/**
 * The full list to PUT when the user's managed attributes differ from the desired ones;
 * undefined when they already match (a re-run then writes nothing). Entries the mapping does
 * not manage are passed on exactly as JumpCloud returned them: they are not ours to reshape.
 */
export function attributesToWrite(
  existing: unknown,
  desired: DesiredAttributes,
): { from: unknown[]; to: unknown[] } | undefined {
  // Stryker disable next-line ConditionalExpression: a shortcut; with nothing managed the comparison below also finds no difference
  if (desired.managed.length === 0) return undefined;
  const entries: unknown[] = Array.isArray(existing) ? [...(existing as unknown[])] : [];
  const managed = new Set(desired.managed.map((name) => name.toLowerCase()));
  const isManaged = (entry: unknown) => {
    const name = nameOf(entry);
    return name !== undefined && managed.has(name.toLowerCase());
  };
  const currentManaged = entries.filter(isManaged).map((entry) => ({
    name: nameOf(entry)!,
    value: attributeText((entry as { value?: unknown }).value),
  }));
  if (sameAttributes(currentManaged, desired.values)) return undefined;
  return { from: entries, to: [...entries.filter((entry) => !isManaged(entry)), ...desired.values] };
}

/** Equal as sets: the same names (exactly, not only ignoring case) with the same values. */
function sameAttributes(current: readonly CustomAttribute[], desired: readonly CustomAttribute[]): boolean {
  if (current.length !== desired.length) return false;
  return desired.every((want) =>
    current.some((have) => have.name === want.name && have.value === want.value),
  );
}

/** Per mapped attribute that differs: its old and new value as text ("" when absent). */
export function attributeTextChanges(
  existing: unknown,
  desired: DesiredAttributes,
): { field: string; from: string; to: string }[] {
  // Stryker disable next-line ArrayDeclaration: an entry that is not an attribute is never found by name
  const entries: unknown[] = Array.isArray(existing) ? (existing as unknown[]) : [];
  const changes: { field: string; from: string; to: string }[] = [];
  for (const name of desired.managed) {
    const have = entries.find((entry) => nameOf(entry)?.toLowerCase() === name.toLowerCase());
    const from = have === undefined ? '' : attributeText((have as { value?: unknown }).value);
    const to = desired.values.find((attribute) => attribute.name === name)?.value ?? '';
    if (from !== to || (have !== undefined && nameOf(have) !== name))
      changes.push({ field: `attributes.${name}`, from, to });
  }
  return changes;
}

function nameOf(entry: unknown): string | undefined {
  const name = (entry as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** JumpCloud keeps values as text; a number or boolean compares as its text (its JSON). */
function attributeText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

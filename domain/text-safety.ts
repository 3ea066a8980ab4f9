// Text from Personio is data, never markup or control: the rules that keep it so wherever it
// goes (JumpCloud fields, CSV files, chat webhooks, the terminal). Pure and deterministic:
// workflow code imports this file.

/** C0 and C1 control characters (tab, CR and LF included) and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
 * (U+2066–U+2069), the Arabic letter mark and the LRM/RLM marks. An override can make
 * "evil.exe" display as "exe.live"; none belongs in a name.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JumpCloud's documented limit for system-user text fields (employeeIdentifier: 256). */
export const JUMPCLOUD_TEXT_LIMIT = 1024;

/** Control characters become spaces (words stay apart), bidi controls go; NFC, trimmed. */
export function cleanPersonioText(value: string): string {
  return value.normalize('NFC').replace(BIDI, '').replace(CONTROL, ' ').trim();
}

/** Whether cleaning would change more than surrounding white space. */
export function hasControlCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(
    value,
  );
}

/** At most `max` characters (code points, never half a surrogate pair). */
export function capText(value: string, max: number): { text: string; cut: number } {
  const chars = Array.from(value);
  // Stryker disable next-line EqualityOperator: at exactly `max` the cut text is the whole text, cut 0
  if (chars.length <= max) return { text: value, cut: 0 };
  return { text: chars.slice(0, max).join(''), cut: chars.length - max };
}

/**
 * One CSV cell. OWASP's rule against formula injection: a cell starting with `=`, `+`, `-`,
 * `@`, tab or CR gets a leading `'` (spreadsheets then show it as text), and is quoted; a cell
 * holding `"`, `,`, `;` (the separator of many European spreadsheets) or a line break is
 * quoted with `"` doubled. Other control characters are dropped.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  let s = String(value ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
  const formula = /^[=+\-@\t\r]/.test(s);
  if (formula) s = `'${s}`;
  return formula || /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Text for a chat webhook (Slack's mrkdwn and most markdown): `&`, `<`, `>` escaped as Slack
 * asks (so no `<!channel>`, `<@U123>` or `<https://…|link>` can be formed), and the
 * formatting characters `*` `_` `~` `` ` `` followed by a zero-width space so they cannot
 * open bold, italics, strike or code. Leading `>` (a quote) is escaped like any other.
 */
export function escapeChatText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, '$1\u200b');
}

/**
 * Text for a terminal: ANSI escape sequences (CSI `ESC [ … `, OSC `ESC ] … BEL|ST`, others)
 * and every control character except tab and newline removed, so a name cannot move the
 * cursor, change colours, set the window title or hide what follows.
 */
export function stripTerminalEscapes(text: string): string {
  /* eslint-disable no-control-regex */
  return text
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '')
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u009b[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b[@-_]/g, '') // a lone ESC goes with the control characters below
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  /* eslint-enable no-control-regex */
}

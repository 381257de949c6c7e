/**
 * CSV as RFC 4180 writes it (comma, CRLF, a cell quoted when it holds a quote, comma or line
 * break, quotes doubled), and safe to open in a spreadsheet: a text cell starting with
 * = + - @ (or a tab or carriage return) is prefixed with ' so that it is never a formula
 * (OWASP "CSV injection"). Numbers are written as numbers.
 */
export type Cell = string | number;

export function csvCell(value: Cell): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

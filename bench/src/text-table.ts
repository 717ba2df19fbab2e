// Bench-only. Plain-text tables for the reports on stdout: columns padded to their widest cell,
// the first (a row's name) left-aligned and the rest (numbers) right-aligned, so that digits of
// the same weight line up.

export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [format(headers), ...rows.map(format)];
}

// Browser-only. A safety number as twelve groups of five digits, in the grid both people compare.
// Screen readers hear it group by group and digit by digit ("1 2 3 4 5"), as one would read it
// aloud to the other person, rather than as "twelve thousand three hundred…".

export type SafetyNumberProps = {
  /** Twelve groups of five digits. */
  readonly groups: readonly string[];
};

export function SafetyNumber({ groups }: SafetyNumberProps) {
  return (
    <ol className="safety-number" aria-label="Safety number">
      {groups.map((group, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a group's place is its identity
        <li key={index}>
          <span aria-hidden="true">{group}</span>
          <span className="visually-hidden">{Array.from(group).join(' ')}</span>
        </li>
      ))}
    </ol>
  );
}

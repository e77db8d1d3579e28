/** Says which search params of a list's URL were not valid and so were not applied. */
export function IgnoredFilters({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <p className="callout warn" role="status">
      Ignored filters that are not valid: {names.join(", ")}.
    </p>
  );
}

import { z } from "zod";

/**
 * An integer query value, in decimal digits. z.coerce.number() alone reads "" and " " as 0
 * (Number("") is 0), so `?after=` would mean `?after=0`, and "0x1F" or "1e3" as numbers; such text
 * is refused instead, like any other non-number.
 */
export const queryInt = (min: number, max: number, fallback: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && !/^-?\d+$/.test(value) ? Number.NaN : value),
    z.coerce.number().int().min(min).max(max).default(fallback),
  );

export const PageQuery = z.strictObject({
  page: queryInt(1, 1_000_000, 1),
  pageSize: queryInt(1, 200, 50),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const paginate = ({ page, pageSize }: PageQuery) => ({ skip: (page - 1) * pageSize, take: pageSize });

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
